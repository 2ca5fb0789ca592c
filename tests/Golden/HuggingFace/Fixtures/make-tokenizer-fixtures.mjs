// Writes tokenizer-parity.json: for each vocabulary (a committed tokenizer.json, optionally with a patch applied to
// make a variant), the ids Hugging Face's tokenizers gives each text with and without special tokens, the text it
// decodes them to, and the decoding of every prefix of some of them (cut UTF-8 sequences). Run by make-tokenizer-fixtures.sh.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [work, here] = process.argv.slice(2);
const { Tokenizer } = createRequire(path.join(work, "package.json"))("tokenizers");

const texts = [
  "", " ", "   ", "a", "Hello World", " Hello", "hello  world", "  leading spaces", "trailing spaces  ",
  "tabs\tand\nnewlines\r\n\r\nend", "\n\n\n", "a \n b", "I'm sure you're right, they'll see it's DON'T",
  "12345678901234567890", "3.14159 + 2.71828 = 5.85987", "-42, 1,000,000 and 007", "x=12;y=345;z=6789",
  "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively.\nUser: 4821 + 3907 = ?\nAssistant: <think>",
  "<think>Let me add 4821 and 3907 column by column: 1+7=8, 2+0=2, 8+9=17 carry 1, 4+3+1=8. So 8728. Wait, let me verify: 8728 - 3907 = 4821. Yes.</think> <answer>8728</answer>",
  "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 17 * 23?<|im_end|>\n<|im_start|>assistant\n",
  "text<|endoftext|>more<|endoftext|>", "<s>hello</s> <unk> [INST] hi [/INST]", "</think>\n\n</answer>",
  "I 😀 love 👨‍👩‍👧 families 🇫🇷 and 🤔", "日本語のテキストです。", "Привет, мир! Как дела?", "مرحبا بالعالم",
  "नमस्ते दुनिया", "한국어 텍스트", "ελληνικά Ωμέγα", "中文数字一二三和123", "Ünïcödé cafe\u0301 naïve",
  "𝐀𝐁𝐂 bold math", "🤔Hmm, 😀abc and x😀1", "x𝐀y and 𠀀𠀁字 𝟙𝟚𝟛 digits", "a\u0301\u0302b", "zero\u200bwidth and\u00a0nbsp", "def f(x):\n    return x**2  # square\n",
  "https://example.com/path?q=1&r=2#frag", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "!!!???...,,,;;;", "'''quoted''' \"double\" `back`", "MiXeD CaSe WoRdS", "e.g. i.e. etc.",
];
const prefixTexts = ["I 😀 love 👨‍👩‍👧 families 🇫🇷 and 🤔", "日本語のテキストです。", "नमस्ते दुनिया"];

const gunzip = file => zlib.gunzipSync(fs.readFileSync(path.join(here, file))).toString("utf8");
const vocabularies = [
  { name: "qwen3", file: "qwen3-tokenizer.json.gz" },
  { name: "llama2", file: "llama2-tokenizer.json.gz" },
  // Llama-3's pre-tokenizer (digits in runs of up to three) with ignore_merges, on Qwen3's vocabulary.
  { name: "qwen3-as-llama3", file: "qwen3-tokenizer.json.gz", patch: {
    pre_tokenizer: { type: "Sequence", pretokenizers: [
      { type: "Split", pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" }, behavior: "Isolated", invert: false },
      { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false }] },
    normalizer: null, model: { ignore_merges: true } } },
  // GPT-2's own byte-level setup: the regex inside ByteLevel, with a prefix space.
  { name: "qwen3-as-gpt2", file: "qwen3-tokenizer.json.gz", patch: {
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true }, normalizer: null } },
  // Newer SentencePiece conversions: no normalizer, a Metaspace pre-tokenizer that prepends only at the start, and its decoder.
  { name: "llama2-metaspace", file: "llama2-tokenizer.json.gz", patch: {
    normalizer: null,
    pre_tokenizer: { type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: false },
    decoder: { type: "Sequence", decoders: [{ type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: false }, { type: "ByteFallback" }, { type: "Fuse" }] } } },
  // The same with split words and digits split one by one.
  { name: "llama2-metaspace-split", file: "llama2-tokenizer.json.gz", patch: {
    normalizer: { type: "NFKC" },
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true }, { type: "Digits", individual_digits: true }] },
    decoder: { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true } } },
];
if (fs.existsSync(path.join(here, "arithmetic-tokenizer.json")))
  vocabularies.push({ name: "arithmetic", file: "arithmetic-tokenizer.json" });

const output = [];
for (const v of vocabularies) {
  const json = JSON.parse(v.file.endsWith(".gz") ? gunzip(v.file) : fs.readFileSync(path.join(here, v.file), "utf8"));
  for (const [key, value] of Object.entries(v.patch ?? {}))
    json[key] = key === "model" ? { ...json.model, ...value } : value;
  const tokenizer = Tokenizer.fromString(JSON.stringify(json));
  const cases = [];
  for (const text of texts) {
    const plain = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
    const special = (await tokenizer.encode(text, null, { addSpecialTokens: true })).getIds();
    const decoded = await tokenizer.decode(plain, false);
    const skipped = await tokenizer.decode(special, true);
    const prefixes = prefixTexts.includes(text) ? await Promise.all(plain.map((_, i) => tokenizer.decode(plain.slice(0, i + 1), false))) : undefined;
    cases.push({ text, ids: plain, ids_with_special: special, decoded, decoded_skipping_special: skipped, ...(prefixes ? { prefixes } : {}) });
  }
  output.push({ name: v.name, file: v.file, patch: v.patch ?? null, vocab_size: tokenizer.getVocabSize(true), cases });
}
fs.writeFileSync(path.join(here, "tokenizer-parity.json"), JSON.stringify({ generator: "tokenizers@0.23.2 (npm)", vocabularies: output }, null, 1) + "\n");
console.log(`wrote ${output.length} vocabularies x ${texts.length} texts`);
