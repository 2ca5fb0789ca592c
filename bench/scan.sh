#!/usr/bin/env bash
# The scan benchmark: builds the harness and the driver in Release, then scans a generated file of R1-style
# completions (default one million, ~1.8 GB, kept in artifacts/bench/scan/ for later runs) with harness scan and with
# the Python re reference (bench/python/scan_phrases.py, the standard library only), interleaved.
# Usage: bench/scan.sh [--completions N] [--repeats R] [--workers W (Python processes, default 1)] [--answers tags|boxed]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Harness -c Release -v q -nologo >/dev/null
dotnet run -c Release --project bench/Harness.Bench.Scan -- "$@"
