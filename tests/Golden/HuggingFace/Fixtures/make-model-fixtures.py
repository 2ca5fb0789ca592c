#!/usr/bin/python3
"""Makes the model parity fixtures once: tiny random Qwen2 and Llama checkpoints in the Hugging Face layout (config.json
and safetensors under the hub's tensor names, shapes and dtypes) and the logits of an independent reference for a
fixed sequence of ids. The reference is written here from the published equations with Debian's python3-torch
(1.13); transformers is not installable on these machines. The safetensors files are laid out by hand from the
format's specification. Usage: /usr/bin/python3 make-model-fixtures.py [OUT_DIR] (apt installs torch for /usr/bin/python3: bench/python/setup.sh) (the tests read tests/Golden/HuggingFace/Fixtures/models).
"""
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "bench", "python"))
import hf_model  # noqa: E402  (the equations, shared with the benchmark's PyTorch peer)


def forward(config, w, ids):
    """Logits [T, V] in float32 for ids [T]: every weight used in float32, as the harness runs a float32 policy."""
    model = hf_model.CausalLm(config).load({k: v.float() for k, v in w.items()})
    with torch.no_grad():
        return model(torch.tensor([ids]))[0]


def weights(config, dtype, generator):
    h, heads, kv, inter, vocab = (config[k] for k in ("hidden_size", "num_attention_heads", "num_key_value_heads", "intermediate_size", "vocab_size"))
    d = config.get("head_dim") or h // heads
    def r(*shape, scale=0.2):
        return (torch.randn(*shape, generator=generator) * scale).to(dtype)
    w = {"model.embed_tokens.weight": r(vocab, h, scale=1.0)}
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = (1 + r(h, scale=0.1).float()).to(dtype)
        w[p + "self_attn.q_proj.weight"] = r(heads * d, h)
        w[p + "self_attn.k_proj.weight"] = r(kv * d, h)
        w[p + "self_attn.v_proj.weight"] = r(kv * d, h)
        if config["model_type"] == "qwen2":
            w[p + "self_attn.q_proj.bias"], w[p + "self_attn.k_proj.bias"], w[p + "self_attn.v_proj.bias"] = r(heads * d), r(kv * d), r(kv * d)
        if config["model_type"] == "qwen3":
            w[p + "self_attn.q_norm.weight"], w[p + "self_attn.k_norm.weight"] = (1 + r(d, scale=0.1).float()).to(dtype), (1 + r(d, scale=0.1).float()).to(dtype)
        w[p + "self_attn.o_proj.weight"] = r(h, heads * d)
        w[p + "post_attention_layernorm.weight"] = (1 + r(h, scale=0.1).float()).to(dtype)
        w[p + "mlp.gate_proj.weight"], w[p + "mlp.up_proj.weight"], w[p + "mlp.down_proj.weight"] = r(inter, h), r(inter, h), r(h, inter)
    w["model.norm.weight"] = (1 + r(h, scale=0.1).float()).to(dtype)
    if not config["tie_word_embeddings"]:
        w["lm_head.weight"] = r(vocab, h)
    return w


MODELS = {
    # Qwen2: q/k/v biases, tied embeddings, BF16 storage, transformers 4.x field names, one file; with the project's
    # arithmetic tokenizer (383 ids), so 17 rows of the embedding are padding, as Qwen pads its vocabulary.
    "qwen2-tied-bf16": ({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 64, "intermediate_size": 96,
                         "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 400,
                         "max_position_embeddings": 128, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": True,
                         "hidden_act": "silu", "torch_dtype": "bfloat16", "eos_token_id": 375, "bos_token_id": 376, "use_sliding_window": False},
                        torch.bfloat16, 1),
    # Llama: no biases, untied, F32, Llama-3 rope scaling, transformers 5.x field names, two shards and an index.
    "llama-untied-f32": ({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 48, "intermediate_size": 128,
                          "num_hidden_layers": 3, "num_attention_heads": 6, "num_key_value_heads": 2, "vocab_size": 80,
                          "max_position_embeddings": 256, "rms_norm_eps": 1e-5, "tie_word_embeddings": False, "hidden_act": "silu",
                          "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                                              "high_freq_factor": 4.0, "original_max_position_embeddings": 16},
                          "dtype": "float32", "eos_token_id": [78, 79], "bos_token_id": 77},
                         torch.float32, 2),
    # Qwen3: per-head q/k norms, a head_dim wider than hidden_size / heads, F16 storage, untied.
    "qwen3-untied-f16": ({"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "hidden_size": 32, "intermediate_size": 64,
                          "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 1, "head_dim": 16, "vocab_size": 64,
                          "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": False,
                          "hidden_act": "silu", "torch_dtype": "float16", "eos_token_id": 63, "attention_bias": False},
                         torch.float16, 1),
}


def main(out):
    for name, (config, dtype, shards) in MODELS.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        generator = torch.Generator().manual_seed(sum(map(ord, name)))
        w = weights(config, dtype, generator)
        ids = [int(i) for i in torch.randint(0, config["vocab_size"], (12,), generator=generator)]
        flat = dict(config)
        if "rope_parameters" in flat:
            flat["rope_theta"], flat["rope_scaling"] = flat["rope_parameters"]["rope_theta"], flat["rope_parameters"]
        logits = forward(flat, w, ids)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
        if name.startswith("qwen2"):
            shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "arithmetic-tokenizer.json"), os.path.join(folder, "tokenizer.json"))
        if shards == 1:
            hf_model.write_safetensors(os.path.join(folder, "model.safetensors"), w)
        else:
            names = list(w)
            cut = len(names) // 2
            parts = [names[:cut], names[cut:]]
            weight_map = {}
            for i, part in enumerate(parts):
                file = f"model-{i + 1:05d}-of-{len(parts):05d}.safetensors"
                hf_model.write_safetensors(os.path.join(folder, file), {n: w[n] for n in part})
                weight_map.update({n: file for n in part})
            with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
                json.dump({"metadata": {"total_size": sum(t.numel() * t.element_size() for t in w.values())}, "weight_map": weight_map}, f, indent=2)
        with open(os.path.join(folder, "reference-logits.json"), "w") as f:
            json.dump({"generator": f"python3-torch {torch.__version__}, written from the equations", "ids": ids,
                       "logits": [[round(v, 7) for v in row] for row in logits.tolist()]}, f)
        print(f"{name}: {len(w)} tensors, logits {tuple(logits.shape)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "models"))
