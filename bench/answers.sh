#!/usr/bin/env bash
# Scan speed by answer format: harness scan over the same R1-style corpus with its final answers in <answer> tags and
# in \boxed{} (bench/scan.sh's corpus, --answers tags|boxed), interleaved (tags, boxed, tags, boxed, ...), and, with
# --baseline DLL, another build's harness.dll over the tags corpus in the same rotation (e.g. the commit before a change).
# Prints each run's completions a second (wall time of the whole command) and the medians of the paired ratios.
# Usage: bench/answers.sh [--completions N] [--repeats R] [--baseline path/to/harness.dll]
set -euo pipefail
cd "$(dirname "$0")/.."
completions=100000; repeats=3; baseline=""
while [ $# -gt 0 ]; do
    case "$1" in
        --completions) completions=$2; shift 2 ;;
        --repeats) repeats=$2; shift 2 ;;
        --baseline) baseline=$2; shift 2 ;;
        *) echo "usage: bench/answers.sh [--completions N] [--repeats R] [--baseline DLL]" >&2; exit 2 ;;
    esac
done
dotnet build src/Harness -c Release -v q -nologo >/dev/null
corpus() { dotnet run -c Release --project bench/Harness.Bench.Scan -- --completions "$completions" --answers "$1" --corpus-only | tail -1; }
tags=$(corpus tags); boxed=$(corpus boxed)
harness=src/Harness/bin/Release/net10.0/harness.dll
out=$(mktemp -d)
calc() { awk "BEGIN { print $1 }"; }
run() { # dll corpus -> seconds
    rm -rf "$out/run"
    local start end
    start=$(date +%s.%N); dotnet "$1" scan "$2" --out "$out/run" >/dev/null 2>&1; end=$(date +%s.%N)
    calc "$end - $start"
}
declare -a t b o
for r in $(seq 1 "$repeats"); do
    t[$r]=$(run "$harness" "$tags"); b[$r]=$(run "$harness" "$boxed")
    [ -n "$baseline" ] && o[$r]=$(run "$baseline" "$tags")
    printf '  pair %d: tags %8.0f/s  boxed %8.0f/s%s\n' "$r" "$(calc "$completions / ${t[$r]}")" "$(calc "$completions / ${b[$r]}")" \
        "$([ -n "$baseline" ] && printf '  baseline tags %8.0f/s' "$(calc "$completions / ${o[$r]}")")"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
ratios=(); for r in $(seq 1 "$repeats"); do ratios+=("$(calc "${t[$r]} / ${b[$r]}")"); done
printf 'harness scan of %d completions, %d interleaved pairs:\n' "$completions" "$repeats"
printf '  boxed / tags throughput: median %.2f (range %.2f–%.2f)\n' "$(median "${ratios[@]}")" "$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)"
if [ -n "$baseline" ]; then
    ratios=(); for r in $(seq 1 "$repeats"); do ratios+=("$(calc "${o[$r]} / ${t[$r]}")"); done
    printf '  tags, this build / baseline throughput: median %.2f (range %.2f–%.2f)\n' "$(median "${ratios[@]}")" "$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)"
    ratios=(); for r in $(seq 1 "$repeats"); do ratios+=("$(calc "${o[$r]} / ${b[$r]}")"); done
    printf '  boxed, this build / baseline tags throughput: median %.2f (range %.2f–%.2f)\n' "$(median "${ratios[@]}")" "$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)" "$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)"
fi
rm -rf "$out"
