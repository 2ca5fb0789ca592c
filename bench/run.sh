#!/usr/bin/env bash
# The benchmark: installs the PyTorch peer (Debian's python3-torch) if missing, builds in Release and runs
# both side by side. Usage: bench/run.sh [--threads N] [--repeats N]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bench/python/setup.sh)
dotnet run -c Release --project bench/Harness.Bench -- --python "$PY" "$@"
