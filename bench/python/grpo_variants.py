"""PyTorch peer of the C# GRPO variants (src/Harness/Grpo): advantage estimators, surrogates, aggregations, overlong
shaping, written from the formulas of verl (verl/trainer/ppo/core_algos.py, verl/utils/torch_functional.py,
verl/workers/reward_manager/dapo.py at b178a3cd) and TRL (trl/trainer/grpo_trainer.py at f2cd5771), not from our C#.
Draws seeded random inputs, computes every output, and writes inputs and outputs as one JSON file that the golden test
VariantPeerTests reads and recomputes in C# (within 1e-6).

    PY=$(bench/python/setup.sh) && "$PY" bench/python/grpo_variants.py > tests/Golden/Fixtures/Variants/peer.json
"""
import json
import random

import torch

EPS = 1e-8


def grpo(groups, scale, std):
    unbiased = std == "sample"
    every = torch.tensor([r for g in groups for r in g], dtype=torch.float64)
    batch_std = every.std(unbiased=unbiased).item() if scale == "batch" else 1.0
    out = []
    for g in groups:
        r = torch.tensor(g, dtype=torch.float64)
        if len(set(g)) == 1 or (unbiased and len(g) < 2):
            out.append([0.0] * len(g))
            continue
        s = r.std(unbiased=unbiased).item() if scale == "group" else batch_std
        out.append(((r - r.mean()) / s).tolist() if s != 0 else [0.0] * len(g))
    return out


def rloo(groups):
    out = []
    for g in groups:
        n = len(g)
        r = torch.tensor(g, dtype=torch.float64)
        if n == 1:
            out.append(list(g))
        elif len(set(g)) == 1:
            out.append([0.0] * n)
        else:
            out.append((r * n / (n - 1) - r.mean() * n / (n - 1)).tolist())
    return out


def reinforce_pp_baseline(groups, lengths):
    width = max(max(l) for l in lengths)
    rows, masks = [], []
    for g, ls in zip(groups, lengths):
        r = torch.tensor(g, dtype=torch.float64)
        c = r if len(g) == 1 else (torch.zeros_like(r) if len(set(g)) == 1 else r - r.mean())
        for value, length in zip(c.tolist(), ls):
            rows.append([value] * width)
            masks.append([1.0] * length + [0.0] * (width - length))
    values, mask = torch.tensor(rows, dtype=torch.float64), torch.tensor(masks, dtype=torch.float64)
    values = values * mask
    total = mask.sum()
    mean = (values * mask).sum() / (total + EPS)
    var = ((values - mean) ** 2 * mask).sum() / (total + EPS)
    var = var * total / (total - 1)
    whitened = (values - mean) * torch.rsqrt(var + EPS)
    flat = whitened[:, 0].tolist()
    out, k = [], 0
    for g in groups:
        out.append(flat[k:k + len(g)])
        k += len(g)
    return out


def aggregate(loss, mask, mode, norm_length):
    g = loss.shape[0]
    if mode == "token-mean":
        total = mask.sum()
        return (loss * mask).sum() / total if total > 0 else (loss * mask).sum() * 0
    per_seq = (loss * mask).sum(-1)
    if mode == "seq-mean-token-mean":
        return (per_seq / mask.sum(-1).clamp(min=1)).sum() / g
    if mode == "seq-mean-token-sum":
        return per_seq.sum() / g
    if mode == "seq-mean-token-sum-norm":
        return per_seq.sum() / (g * norm_length)
    raise ValueError(mode)


def surrogate(kind, logp, old, adv, mask, clip_low, clip_high, seq_low, seq_high):
    a = adv.unsqueeze(-1)
    if kind == "vanilla":
        ratio = torch.exp(logp - old)
    elif kind == "gspo":
        seq = ((logp - old) * mask).sum(-1) / mask.sum(-1).clamp(min=1)
        ratio = torch.exp(torch.clamp(logp - logp.detach() + seq.detach().unsqueeze(-1), max=10.0))
        clip_low, clip_high = seq_low, seq_high
    elif kind == "cispo":
        ratio = torch.exp(torch.clamp(logp - old, min=-20.0, max=20.0))
        weight = torch.clamp(ratio, 1 - clip_low, 1 + clip_high).detach()
        return -weight * a * logp, (weight != ratio).float()
    else:
        raise ValueError(kind)
    losses1 = -a * ratio
    losses2 = -a * torch.clamp(ratio, 1 - clip_low, 1 + clip_high)
    return torch.maximum(losses1, losses2), (losses2 > losses1).float()


def loss_case(rng, kind, mode, beta):
    n, t = 5, 9
    lengths = [rng.randint(1, t) for _ in range(n)]
    lengths[rng.randrange(n)] = 0 if rng.random() < 0.5 else t  # sometimes a masked (truncated) completion
    logp = [[-rng.uniform(0.05, 4.0) for _ in range(t)] for _ in range(n)]
    old = [[v + rng.uniform(-0.4, 0.4) for v in row] for row in logp]
    ref = [[v + rng.uniform(-0.3, 0.3) for v in row] for row in logp]
    adv = [rng.uniform(-2, 2) for _ in range(n)]
    logp_t = torch.tensor(logp, dtype=torch.float32, requires_grad=True)
    old_t, ref_t = torch.tensor(old, dtype=torch.float32), torch.tensor(ref, dtype=torch.float32)
    mask = torch.tensor([[1.0] * l + [0.0] * (t - l) for l in lengths])
    adv_t = torch.tensor(adv, dtype=torch.float32)
    per_token, clipped = surrogate(kind, logp_t, old_t, adv_t, mask, 0.2, 0.28, 3e-4, 4e-4)
    if beta > 0:
        d = ref_t - logp_t
        per_token = per_token + beta * (torch.exp(d) - d - 1)
    agg = "seq-mean-token-mean" if kind == "gspo" else mode
    loss = aggregate(per_token, mask, agg, 12)
    loss.backward()
    total = mask.sum().item()
    return {
        "kind": kind, "aggregation": mode, "beta": beta, "clip_low": 0.2, "clip_high": 0.28, "sequence_clip_low": 3e-4,
        "sequence_clip_high": 4e-4, "norm_length": 12, "lengths": lengths, "log_probs": logp, "old_log_probs": old,
        "reference_log_probs": ref, "advantages": adv,
        "loss": loss.item(), "clip_fraction": ((clipped * mask).sum().item() / max(1.0, total)),
        "gradient": logp_t.grad.tolist(),
    }


def advantage_case(rng):
    groups, lengths = [], []
    for _ in range(rng.randint(1, 4)):
        size = rng.randint(1, 6)
        kind = rng.random()
        if kind < 0.25:
            g = [rng.choice([0.0, 1.0, 1.1])] * size  # all equal
        elif kind < 0.6:
            g = [rng.choice([0.0, 0.1, 1.0, 1.1]) for _ in range(size)]
        else:
            g = [rng.uniform(-3, 3) for _ in range(size)]
        groups.append(g)
        lengths.append([rng.randint(1, 200) for _ in range(size)])
    if sum(map(len, groups)) < 2:
        groups[0].append(0.5)
        lengths[0].append(7)
    return {
        "rewards": groups, "lengths": lengths,
        "grpo_group_population": grpo(groups, "group", "population"),
        "grpo_group_sample": grpo(groups, "group", "sample"),
        "grpo_batch_population": grpo(groups, "batch", "population"),
        "grpo_none": grpo(groups, "none", "population"),
        "rloo": rloo(groups),
        "reinforce_plus_plus_baseline": reinforce_pp_baseline(groups, lengths),
    }


def overlong_cases(rng):
    out = []
    for _ in range(40):
        limit = rng.randint(10, 300)
        buffer = rng.randint(1, limit - 1)
        length = rng.randint(1, limit)
        factor = rng.choice([1.0, 0.5, 2.0])
        expected = limit - buffer
        penalty = min(-(length - expected) / buffer * factor, 0)
        out.append({"length": length, "max_length": limit, "buffer": buffer, "factor": factor, "penalty": penalty})
    return out


def main():
    rng = random.Random(20261207)
    cases = {
        "torch": torch.__version__,
        "advantages": [advantage_case(rng) for _ in range(40)],
        "losses": [loss_case(rng, kind, mode, beta)
                   for kind in ("vanilla", "gspo", "cispo")
                   for mode in ("token-mean", "seq-mean-token-mean", "seq-mean-token-sum", "seq-mean-token-sum-norm")
                   for beta in (0.0, 0.04)
                   for _ in range(3)],
        "overlong": overlong_cases(rng),
    }
    print(json.dumps(cases))


if __name__ == "__main__":
    main()
