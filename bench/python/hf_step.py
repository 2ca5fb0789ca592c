#!/usr/bin/python3
"""One measured repeat of the Hugging Face benchmark's PyTorch side (bench/hf.sh): a model folder loaded into
hf_model.CausalLm, then batched sampling through a KV cache (temperature 1 over the tokenizer's ids, rows ending at
an end-of-sequence id) and log-probs + backward of random completions, each after one warm-up. Prints JSON."""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_model  # noqa: E402

parser = argparse.ArgumentParser()
for name, kind in [("--model", str), ("--threads", int), ("--vocab", int), ("--eos", str), ("--rows", int), ("--prompt", int),
                   ("--new", int), ("--score-rows", int), ("--score-tokens", int), ("--seed", int)]:
    parser.add_argument(name, type=kind, required=True)
a = parser.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
config, weights = hf_model.read_folder(a.model)
model = hf_model.CausalLm(config).load({k: v.float() for k, v in weights.items()})
del weights
eos = {int(e) for e in a.eos.split(",")}
head = lambda: model.head_weight()[: a.vocab]  # noqa: E731


def ids(rows, length, salt):
    return torch.tensor([[(r * 7919 + t * 104729 + salt) % a.vocab for t in range(length)] for r in range(rows)])


def sample():
    with torch.no_grad():
        caches = [[] for _ in model.model.layers]
        logits = model.hidden(ids(a.rows, a.prompt, 1), 0, caches)[:, -1] @ head().T
        finished = torch.zeros(a.rows, dtype=torch.bool)
        generated = 0
        for step in range(a.new):
            nxt = torch.multinomial(torch.softmax(logits, -1), 1).squeeze(-1)
            generated += int((~finished).sum())
            finished |= torch.tensor([int(t) in eos for t in nxt])
            if bool(finished.all()) or step == a.new - 1:
                break
            logits = model.hidden(nxt.unsqueeze(1), a.prompt + step, caches)[:, -1] @ head().T
        return generated


def score():
    sequence = ids(a.score_rows, a.score_tokens + 1, 3)
    model.zero_grad()
    hidden = model.hidden(sequence[:, :-1])
    log_probs = torch.log_softmax((hidden @ head().T).float(), -1)
    loss = -log_probs.gather(-1, sequence[:, 1:].unsqueeze(-1)).sum()
    loss.backward()


sample()
start = time.perf_counter()
tokens = sample()
sampling = time.perf_counter() - start
score()
start = time.perf_counter()
score()
scoring = time.perf_counter() - start
print(json.dumps({"torch_version": torch.__version__, "sampling_tokens": tokens, "sampling_s": sampling,
                  "score_tokens": a.score_rows * a.score_tokens, "score_s": scoring}))
