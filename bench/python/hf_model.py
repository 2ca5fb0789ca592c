"""Qwen2 / Llama / Qwen3 causal LMs written in PyTorch from the published equations (pre-norm RMSNorm blocks, rotary
embeddings in the rotate-half layout with Llama-3 scaling, grouped-query attention, SwiGLU), with the Hugging Face
checkpoints' tensor names, and safetensors read and written by hand from the format's specification. Used by the
model parity fixtures (tests/Golden/HuggingFace/Fixtures/make-model-fixtures.py) and as the PyTorch peer of the
Hugging Face benchmark (bench/python/hf_step.py). Debian's python3-torch 1.13; transformers is not installable here.
"""
import json
import math
import os
import struct

import torch

DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}
NAMES = {v: k for k, v in DTYPES.items()}


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype in (torch.bfloat16, torch.float16) else t.numpy().tobytes()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        raw = bytearray(data[begin:end])
        flat = torch.frombuffer(raw, dtype=torch.int16).view(dtype) if dtype != torch.float32 else torch.frombuffer(raw, dtype=torch.float32)
        out[name] = flat.reshape(entry["shape"]).clone()
    return out


def read_folder(folder):
    """config.json (both transformers generations' rope fields flattened) and every tensor of the folder's weights."""
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    rope = config.get("rope_parameters")
    if rope:
        config["rope_theta"] = rope.get("rope_theta", 10000.0)
        config["rope_scaling"] = rope
    index = os.path.join(folder, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    weights = {}
    for file in files:
        weights.update(read_safetensors(os.path.join(folder, file)))
    return config, weights


def inverse_frequencies(config, head_dim):
    inv = [1.0 / config.get("rope_theta", 10000.0) ** (2 * i / head_dim) for i in range(head_dim // 2)]
    s = config.get("rope_scaling")
    if s and s.get("rope_type", s.get("type")) == "llama3":
        original = s["original_max_position_embeddings"]
        low, high = original / s["low_freq_factor"], original / s["high_freq_factor"]
        out = []
        for f in inv:
            wavelength = 2 * math.pi / f
            if wavelength > low:
                out.append(f / s["factor"])
            elif wavelength < high:
                out.append(f)
            else:
                smooth = (original / wavelength - s["low_freq_factor"]) / (s["high_freq_factor"] - s["low_freq_factor"])
                out.append((1 - smooth) * f / s["factor"] + smooth * f)
        inv = out
    return torch.tensor(inv, dtype=torch.float32)


class RmsNorm(torch.nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        wide = x.float()
        return self.weight * (wide * torch.rsqrt(wide.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    return x * cos + torch.cat([-x[..., half:], x[..., :half]], -1) * sin


class Attention(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.kv, self.d = c["num_attention_heads"], c.get("num_key_value_heads", c["num_attention_heads"]), c["head_dim"]
        qkv_bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)
        self.q_proj = torch.nn.Linear(c["hidden_size"], self.heads * self.d, bias=qkv_bias)
        self.k_proj = torch.nn.Linear(c["hidden_size"], self.kv * self.d, bias=qkv_bias)
        self.v_proj = torch.nn.Linear(c["hidden_size"], self.kv * self.d, bias=qkv_bias)
        self.o_proj = torch.nn.Linear(self.heads * self.d, c["hidden_size"], bias=c["model_type"] != "qwen2" and c.get("attention_bias", False))
        if c["model_type"] == "qwen3":
            self.q_norm, self.k_norm = RmsNorm(self.d, c["rms_norm_eps"]), RmsNorm(self.d, c["rms_norm_eps"])

    def forward(self, x, cos, sin, cache):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.heads, self.d)
        k = self.k_proj(x).view(b, t, self.kv, self.d)
        v = self.v_proj(x).view(b, t, self.kv, self.d).transpose(1, 2)
        if hasattr(self, "q_norm"):
            q, k = self.q_norm(q), self.k_norm(k)
        q, k = rotate(q.transpose(1, 2), cos, sin), rotate(k.transpose(1, 2), cos, sin)
        if cache is not None:
            if cache:
                k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
            cache[:] = [k, v]
        if self.heads != self.kv:
            k, v = k.repeat_interleave(self.heads // self.kv, 1), v.repeat_interleave(self.heads // self.kv, 1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d)
        if t > 1:
            scores = scores + torch.full((t, k.shape[2]), float("-inf")).triu(k.shape[2] - t + 1)
        return self.o_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, self.heads * self.d))


class Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm = RmsNorm(c["hidden_size"], c["rms_norm_eps"])
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RmsNorm(c["hidden_size"], c["rms_norm_eps"])
        bias = c.get("mlp_bias", False)
        self.mlp = torch.nn.Module()
        self.mlp.gate_proj = torch.nn.Linear(c["hidden_size"], c["intermediate_size"], bias=bias)
        self.mlp.up_proj = torch.nn.Linear(c["hidden_size"], c["intermediate_size"], bias=bias)
        self.mlp.down_proj = torch.nn.Linear(c["intermediate_size"], c["hidden_size"], bias=bias)

    def forward(self, x, cos, sin, cache):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, cache)
        m = self.post_attention_layernorm(x)
        return x + self.mlp.down_proj(torch.nn.functional.silu(self.mlp.gate_proj(m)) * self.mlp.up_proj(m))


class CausalLm(torch.nn.Module):
    """The decoder with the hub's parameter names; forward(ids, start, caches) gives final hidden states."""

    def __init__(self, config):
        super().__init__()
        c = dict(config)
        c["head_dim"] = c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]
        self.config = c
        self.model = torch.nn.Module()
        self.model.embed_tokens = torch.nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.model.layers = torch.nn.ModuleList([Block(c) for _ in range(c["num_hidden_layers"])])
        self.model.norm = RmsNorm(c["hidden_size"], c["rms_norm_eps"])
        if not c.get("tie_word_embeddings", False):
            self.lm_head = torch.nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
        self.inverse = inverse_frequencies(c, c["head_dim"])

    def head_weight(self):
        return self.lm_head.weight if hasattr(self, "lm_head") else self.model.embed_tokens.weight

    def hidden(self, ids, start=0, caches=None):
        x = self.model.embed_tokens(ids)
        angles = torch.outer(torch.arange(start, start + ids.shape[1], dtype=torch.float32), self.inverse)
        both = torch.cat([angles, angles], -1)
        cos, sin = both.cos().to(x.dtype), both.sin().to(x.dtype)
        for i, layer in enumerate(self.model.layers):
            x = layer(x, cos, sin, None if caches is None else caches[i])
        return self.model.norm(x)

    def forward(self, ids):
        return self.hidden(ids) @ self.head_weight().T

    def load(self, weights):
        ignored = {"lm_head.weight"} if not hasattr(self, "lm_head") else set()
        missing, unexpected = self.load_state_dict({k: v for k, v in weights.items() if k not in ignored and "rotary_emb" not in k}, strict=True)
        return self
