#!/usr/bin/env bash
# Precision and recall of the first-party detectors on the labelled corpus (tests/Golden/Fixtures/Detection), and every
# record they still get wrong. Usage: bench/detectors.sh [corpus-dir] [--verbose]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Harness.Bench.Detectors -- "$@"
