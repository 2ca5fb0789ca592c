#!/usr/bin/env bash
# Installs the PyTorch that grpo_step.py runs on: Debian's python3-torch (1.13 on bookworm, CPU only).
# Idempotent. Prints one line on stdout: the interpreter that imports torch, so callers can do
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

if find_python; then exit 0; fi

# Root (containers) has no sudo; everyone else needs it for apt.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "Installing python3-torch from apt..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch >/dev/null
find_python || { echo "python3-torch installed but no python3 imports torch" >&2; exit 1; }
