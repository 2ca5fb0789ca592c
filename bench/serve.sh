#!/usr/bin/env bash
# The reward-service load benchmark: builds the harness and the driver in Release, starts harness serve and the
# Python reference server (bench/python/reward_server.py, the standard library only) on loopback, and drives both.
# Usage: bench/serve.sh [--seconds S] [--repeats R] [--clients 1,16,64,256] [--soak-seconds S] [--experiments A.json,B.json] [--answers tags|boxed]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Harness -c Release -v q -nologo >/dev/null
dotnet run -c Release --project bench/Harness.Bench.Serve -- "$@"
