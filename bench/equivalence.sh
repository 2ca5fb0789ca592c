#!/usr/bin/env bash
# The math-equivalence benchmark: builds the accuracy reward and the driver in Release, installs Debian's python3-sympy
# when missing, then times the harness's MathEquivalence and the SymPy reference (bench/python/equivalence_reference.py)
# on the same realistic pairs, interleaved.
# Usage: bench/equivalence.sh [--repeats R] [--python /usr/bin/python3]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import sympy' 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "Installing python3-sympy from apt..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-sympy >/dev/null
fi
dotnet run -c Release --project bench/Harness.Bench.Equivalence -- "$@"
