#!/usr/bin/env python3
"""The Python reference for bench/scan.sh: counts the self-verification phrases of a completions file with `re`,
as R1-Zero replications count reflection words offline (oat-zero's analysis counts keywords per response).

Reads JSON Lines (step, completion, ...), and for each step counts the completions with each tracked phrase in
their reasoning (the first <think> block; one left unclosed, cut at the token limit, runs to the end or to an answer
block after it) and with any of them (the harness's phrase/<name>_rate and self_verify_rate, times the
step's count). The patterns are read from plugins/Shared/VerificationPhrases.cs; the benchmark checks that both
sides count the same phrases. The harness's self_verify_rate also counts re-derivations found from the numbers, which
this reference does not compute. Prints one JSON object: completions, seconds, completions_per_s, peak_rss_kib, steps.

Usage: scan_phrases.py FILE [--workers N]   (N processes, default 1; each gets batches of lines)
"""
import argparse, json, multiprocessing, pathlib, re, resource, sys, time

def load_phrases():
    """The tracked phrases, read from the C# source so both sides always count the same list: each entry is
    new("name", Scripts.X, @"pattern") or new("name", Scripts.X, "pattern") (verbatim strings double their quotes)."""
    source = pathlib.Path(__file__).resolve().parents[2] / "plugins" / "Shared" / "VerificationPhrases.cs"
    entry = re.compile(r'new\("([^"]+)", [^,]+, (@?)"((?:[^"]|"")*)"\)')
    phrases = [(m.group(1), m.group(3).replace('""', '"') if m.group(2) else m.group(3)) for m in entry.finditer(source.read_text(encoding="utf-8"))]
    if not phrases:
        sys.exit(f"no phrases found in {source}")
    return phrases


PHRASES = load_phrases()
COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in PHRASES]
THINK = re.compile(r"<think>(.*?)</think>", re.DOTALL)
ANSWER = re.compile(r"<answer>.*?</answer>", re.DOTALL)


def count(lines):
    steps = {}
    for line in lines:
        record = json.loads(line)
        text = record["completion"]
        think = THINK.search(text)
        if think:
            start, end = think.start(1), think.end(1)
        elif "<think>" in text:
            start = text.index("<think>") + len("<think>")
            answer = ANSWER.search(text, start)
            end = answer.start() if answer else len(text)
        else:
            start, end = -1, -1
        step = steps.setdefault(record.get("step", 0), {"n": 0, "self_verify": 0, "phrases": {name: 0 for name, _ in COMPILED}})
        step["n"] += 1
        any_inside = False
        for name, pattern in COMPILED:
            inside = sum(1 for m in pattern.finditer(text) if start <= m.start() < end)
            if inside:
                step["phrases"][name] += 1
                any_inside = True
        step["self_verify"] += any_inside
    return steps


def batches(path, size):
    with open(path, encoding="utf-8") as f:
        batch = []
        for line in f:
            if line.strip():
                batch.append(line)
                if len(batch) == size:
                    yield batch
                    batch = []
        if batch:
            yield batch


def merge(total, part):
    for step, counts in part.items():
        into = total.setdefault(step, {"n": 0, "self_verify": 0, "phrases": {name: 0 for name, _ in COMPILED}})
        into["n"] += counts["n"]
        into["self_verify"] += counts["self_verify"]
        for name, value in counts["phrases"].items():
            into["phrases"][name] += value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    began = time.perf_counter()
    steps = {}
    if args.workers <= 1:
        for batch in batches(args.file, 1000):
            merge(steps, count(batch))
    else:
        with multiprocessing.Pool(args.workers) as pool:
            for part in pool.imap_unordered(count, batches(args.file, 500)):
                merge(steps, part)
    seconds = time.perf_counter() - began
    n = sum(s["n"] for s in steps.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    json.dump({"completions": n, "seconds": seconds, "completions_per_s": n / seconds, "peak_rss_kib": peak,
               "steps": {str(k): v for k, v in sorted(steps.items())}}, sys.stdout)


if __name__ == "__main__":
    main()
