"""PyTorch peer of the C# tiny-gpt GRPO step (plugins/Policies/TinyGpt), to compare TorchSharp's speed with
plain PyTorch on the same work. Runs on Debian's PyTorch 1.13, CPU. Prints one JSON object on stdout.

    PY=$(bench/python/setup.sh) && "$PY" bench/python/grpo_step.py --threads 2
"""
import argparse
import json
import math
import os
import random
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 97  # as CharTokenizer: 0 = end-of-text, 1 = newline, 2.. = printable ASCII ' '..'~'
STOP = "</answer>"


def encode(text):
    return [1 if c == "\n" else 2 + ord(c) - ord(" ") for c in text]


def decode_id(i):
    return "\n" if i == 1 else chr(ord(" ") + i - 2)


class Block(nn.Module):
    """Pre-norm block, as GptBlock: x + proj(attn(LN1 x)), then x + down(gelu(up(LN2 x)))."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv, self.proj = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.up, self.down = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)

    def attend(self, x, cache, start):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if cache is not None:  # write the new keys/values in place, then attend over everything so far
            keys, values = cache
            keys[:, :, start:start + t] = k
            values[:, :, start:start + t] = v
            k, v = keys[:, :, :start + t], values[:, :, :start + t]
        # 1.13 has no F.scaled_dot_product_attention, so spell it out.
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        if t > 1:  # prefill / full pass needs the causal mask; a single new token may see the whole cache
            s = k.shape[2]
            scores = scores.masked_fill(torch.ones(t, s, dtype=torch.bool).triu(s - t + 1), float("-inf"))
        return self.proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))

    def forward(self, x, cache=None, start=0):
        x = x + self.attend(self.ln1(x), cache, start)
        return x + self.down(F.gelu(self.up(self.ln2(x))))  # exact (erf) GELU, TorchSharp's default too


class Gpt(nn.Module):
    def __init__(self, layers, width, heads, context):
        super().__init__()
        self.tok, self.pos = nn.Embedding(VOCAB, width), nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, VOCAB, bias=False)
        for name, p in self.named_parameters():  # same rule as GptModel.InitializeWeights
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() == 2:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, ids, caches=None, start=0):
        x = self.tok(ids) + self.pos(torch.arange(start, start + ids.shape[1]))
        for i, block in enumerate(self.blocks):
            x = block(x, caches[i] if caches else None, start)
        return self.head(self.norm(x))


@torch.no_grad()
def sample(model, prompts, limit, gen, args, use_cache):
    """As TinyGptPolicy.Generate: all rows decode together; finished rows keep being fed (no compaction)."""
    rows, plen = len(prompts), len(prompts[0])
    limit = min(limit, args.context - plen)
    ids = torch.tensor(prompts)
    tokens, texts, done = [[] for _ in range(rows)], [""] * rows, [False] * rows
    caches = None
    if use_cache:
        hd = args.width // args.heads
        caches = [(torch.zeros(rows, args.heads, args.context, hd), torch.zeros(rows, args.heads, args.context, hd))
                  for _ in range(args.layers)]
    logits = model(ids, caches, 0)[:, -1]
    for step in range(limit):
        # temperature 1, top_p 1: TokenChooser's plain softmax + multinomial branch
        nxt = torch.multinomial(F.softmax(logits / 1.0, -1), 1, replacement=True, generator=gen)
        for r, i in enumerate(nxt.squeeze(1).tolist()):
            if done[r]:
                continue
            tokens[r].append(i)
            if i == 0:
                done[r] = True
                continue
            texts[r] += decode_id(i)
            done[r] = texts[r].endswith(STOP)
        if all(done) or step == limit - 1:
            break
        if use_cache:
            logits = model(nxt, caches, plen + step)[:, -1]
        else:  # recompute the whole sequence, keep the last position
            ids = torch.cat([ids, nxt], 1)
            logits = model(ids)[:, -1]
    return tokens


def logprob_backward(model, prompts, completions, advantages):
    """As TinyGptPolicy.Score + PolicyLoss (token-mean), then backward. Returns the real-token count."""
    rows, plen = len(prompts), len(prompts[0])
    width = max(1, max(len(c) for c in completions))
    seq = max(len(p) + len(c) for p, c in zip(prompts, completions))
    ids = torch.tensor([p + c + [0] * (seq - len(p) - len(c)) for p, c in zip(prompts, completions)])
    # the logits at position p predict the token at p + 1; padding points at 0 and is masked out
    pos = torch.tensor([[plen - 1 + t if t < len(c) else 0 for t in range(width)] for c in completions])
    tgt = torch.tensor([c + [0] * (width - len(c)) for c in completions])
    mask = torch.tensor([[1.0] * len(c) + [0.0] * (width - len(c)) for c in completions])
    logits = model(ids)
    picked = logits.gather(1, pos.unsqueeze(-1).expand(rows, width, VOCAB))
    logp_all = F.log_softmax(picked, -1)
    logp = logp_all.gather(2, tgt.unsqueeze(-1)).squeeze(-1) * mask
    entropy = (-(logp_all.exp() * logp_all).sum(-1) * mask).sum() / mask.sum()  # logged, not in the loss
    ratio = (logp - logp.detach()).exp()  # on-policy: π_old is this same pass, so ratio = 1 with a gradient
    a = advantages.unsqueeze(1)
    per_token = -torch.min(ratio * a, ratio.clamp(0.8, 1.28) * a)
    loss = (per_token * mask).sum() / mask.sum()
    loss.backward()
    entropy.item()
    return int(mask.sum().item())


def main():
    ap = argparse.ArgumentParser()
    for name, default in [("layers", 3), ("width", 96), ("heads", 4), ("context", 160), ("threads", os.cpu_count()),
                          ("seed", 1), ("max-new-tokens", 96), ("nocache-tokens", 96), ("warmup", 1), ("repeats", 3)]:
        ap.add_argument("--" + name, type=int, default=default)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = Gpt(args.layers, args.width, args.heads, args.context)
    params = list(model.parameters())
    opt = torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.0)

    # 8 distinct "What is 17 + 26?" prompts (two 2-digit operands: all 16 chars, so one batch with no padding)
    rnd, texts = random.Random(args.seed), []
    while len(texts) < 8:
        t = f"What is {rnd.randint(10, 99)} + {rnd.randint(10, 99)}?"
        if t not in texts:
            texts.append(t)
    prompts = [encode(t) for t in texts for _ in range(8)]  # G = 8 rows per prompt

    runs = []
    for rep in range(args.warmup + args.repeats):
        seed = args.seed + rep  # each step samples afresh, as each GRPO step does; the model keeps training
        t0 = time.perf_counter()
        completions = sample(model, prompts, args.max_new_tokens, torch.Generator().manual_seed(seed), args, True)
        t1 = time.perf_counter()
        nocache = sample(model, prompts, args.nocache_tokens, torch.Generator().manual_seed(seed), args, False)
        t2 = time.perf_counter()
        advantages = torch.randn(len(prompts), generator=torch.Generator().manual_seed(seed))
        train_tokens = logprob_backward(model, prompts, completions, advantages)
        t3 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad()
        t4 = time.perf_counter()
        if rep >= args.warmup:
            runs.append(dict(sampling_s=t1 - t0, sampling_tokens=sum(map(len, completions)),
                             nocache_s=t2 - t1, nocache_tokens=sum(map(len, nocache)),
                             logprob_backward_s=t3 - t2, optimizer_s=t4 - t3, train_tokens=train_tokens))
    for r in runs:
        r["sampling_tokens_per_s"] = r["sampling_tokens"] / r["sampling_s"]
        r["nocache_tokens_per_s"] = r["nocache_tokens"] / r["nocache_s"]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    # the sum of the medians, so step_s adds up to the parts printed beside it
    med["step_s"] = med["sampling_s"] + med["logprob_backward_s"] + med["optimizer_s"]
    keys = ["sampling_s", "sampling_tokens", "sampling_tokens_per_s", "nocache_s", "nocache_tokens",
            "nocache_tokens_per_s", "logprob_backward_s", "optimizer_s", "train_tokens", "step_s"]
    out = dict(torch_version=torch.__version__, threads=torch.get_num_threads(),
               params=sum(p.numel() for p in params), **{k: round(med[k], 4) for k in keys})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
