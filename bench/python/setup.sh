#!/usr/bin/env bash
# Installs the PyTorch that grpo_step.py runs on: Debian's python3-torch (1.13 on bookworm, CPU only),
# plus OpenBLAS. Idempotent. Prints one line on stdout: the interpreter that imports torch, so callers can do
#   PY=$(bench/python/setup.sh) && "$PY" bench/python/grpo_step.py
# (apt's torch lives in /usr/bin/python3's site-packages; a pyenv or venv python3 on PATH won't see it).
set -euo pipefail

find_python() {
    local py
    for py in python3 /usr/bin/python3; do
        if command -v "$py" >/dev/null && "$py" -c 'import torch' 2>/dev/null; then
            command -v "$py"
            return 0
        fi
    done
    return 1
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

PY=$(find_python || true)
need=()
[ -n "$PY" ] || need+=(python3-torch)
# Debian builds torch with BLAS_INFO=generic: every matmul goes through whatever libblas.so.3 is. apt satisfies
# that with netlib's reference BLAS (single-threaded, ~20x slower here) unless OpenBLAS is present. The OpenMP
# flavour shares torch's OpenMP pool, so torch.set_num_threads governs its threads too.
if [ "$PY" = "" ] || [ "$PY" = /usr/bin/python3 ]; then
    installed libopenblas0-openmp || installed libopenblas0-pthread || need+=(libopenblas0-openmp)
fi

if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi  # root (containers) has no sudo; everyone else needs it
    echo "Installing ${need[*]} from apt..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
    PY=$(find_python) || { echo "python3-torch installed but no python3 imports torch" >&2; exit 1; }
fi
echo "$PY"
