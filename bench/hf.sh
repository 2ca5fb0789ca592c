#!/usr/bin/env bash
# The hf-causal-lm benchmark: installs the PyTorch peer if missing (bench/python/setup.sh), builds the driver in
# Release and runs the tiny Qwen2 base and a Qwen2.5-0.5B-shaped model (random weights, made once under
# artifacts/bench/hf/) through both sides, interleaved. Usage: bench/hf.sh [--repeats R] [--layers L] [--threads N] [--recompute-head true|false]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bench/python/setup.sh)
dotnet run -c Release --project bench/Harness.Bench.Hf -- --python "$PY" "$@"
