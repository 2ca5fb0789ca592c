using Harness.Plugins.Policies.Decoding;
using Harness.Plugins.Policies.Scoring;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// The decoder of Qwen2, Llama (Mistral) and Qwen3 causal LMs, with the parameter names of their Hugging Face
/// checkpoints (<c>model.layers.0.self_attn.q_proj.weight</c>, …, <c>lm_head.weight</c> unless tied), written from the
/// published equations: pre-norm blocks with RMSNorm, rotary position embeddings (rotate-half convention, Llama-3
/// scaling), grouped-query attention, and a SwiGLU MLP. <see cref="Decode"/> extends sequences through a KV cache.
/// </summary>
public sealed class HfDecoder : Module<Tensor, Tensor>
{
    private readonly HfBackbone model;
    private readonly Linear? lm_head;

    public HfDecoder(HfConfig config) : base("hf_causal_lm")
    {
        Config = config;
        model = new HfBackbone(config);
        lm_head = config.TieWordEmbeddings ? null : Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public HfConfig Config { get; }

    /// <summary>Whether training recomputes each block in the backward pass instead of keeping its activations.</summary>
    public bool GradientCheckpointing
    {
        get => model.GradientCheckpointing;
        set => model.GradientCheckpointing = value;
    }

    /// <summary>[V, H]: the output projection's weight (the embedding's, when tied).</summary>
    public Tensor HeadWeight => lm_head?.weight ?? model.EmbeddingWeight;

    /// <summary>Logits [B, T, V] for ids [B, T] from position 0, causally masked.</summary>
    public override Tensor forward(Tensor ids) => Decode(ids, null, 0);

    /// <summary>Logits [B, t, V] for ids [B, t] at positions start…start+t−1, reading and extending <paramref name="cache"/>.</summary>
    public Tensor Decode(Tensor ids, KvCache? cache, int start) => Head(model.Hidden(ids, cache, start));

    /// <summary>The logits of final hidden states [B, t, H]: through lm_head, or the embedding when they are tied.</summary>
    public Tensor Head(Tensor hidden) => lm_head is null ? functional.linear(hidden, model.EmbeddingWeight) : lm_head.forward(hidden);

    /// <summary>Final hidden states [B, t, H], for callers that take the head in chunks (scoring over a large vocabulary).</summary>
    public Tensor Hidden(Tensor ids, KvCache? cache, int start) => model.Hidden(ids, cache, start);
}

/// <summary><c>model.*</c>: the embedding, the blocks and the final norm.</summary>
public sealed class HfBackbone : Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<HfBlock> layers;
    private readonly RmsNorm norm;
    private readonly Rotary rotary;

    public HfBackbone(HfConfig config) : base("model")
    {
        embed_tokens = Embedding(config.VocabSize, config.HiddenSize);
        layers = new ModuleList<HfBlock>([.. Enumerable.Range(0, config.Layers).Select(_ => new HfBlock(config))]);
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        rotary = new Rotary(config);
        RegisterComponents();
    }

    public Tensor EmbeddingWeight => embed_tokens.weight!;

    public bool GradientCheckpointing { get; set; }

    public Tensor Hidden(Tensor ids, KvCache? cache, int start)
    {
        using var scope = NewDisposeScope();
        var x = embed_tokens.forward(ids);
        var (cos, sin) = rotary.At(start, ids.shape[1], x.device, x.dtype);
        var recompute = GradientCheckpointing && cache is null && is_grad_enabled();
        // Recomputed blocks read cos and sin again in the backward pass, after this scope has closed.
        if (recompute) (cos, sin) = (cos.DetachFromDisposeScope(), sin.DetachFromDisposeScope());
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            x = recompute ? Recompute.Run(h => layer.Forward(h, cos, sin, null, start), x) : layer.Forward(x, cos, sin, cache?.Layers[i], start);
        }
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}

/// <summary><c>model.layers.N.*</c>: x + attention(norm(x)), then x + mlp(norm(x)).</summary>
public sealed class HfBlock : Module
{
    private readonly RmsNorm input_layernorm;
    private readonly HfAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly HfMlp mlp;

    public HfBlock(HfConfig config) : base("layer")
    {
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        self_attn = new HfAttention(config);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        mlp = new HfMlp(config);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, KvCache.Layer? cache, int start)
    {
        x = x + self_attn.Forward(input_layernorm.forward(x), cos, sin, cache, start);
        return x + mlp.Forward(post_attention_layernorm.forward(x));
    }
}

/// <summary><c>self_attn.*</c>: grouped-query attention, with the config's biases, and per-head q/k norms in Qwen3.</summary>
public sealed class HfAttention : Module
{
    private readonly Linear q_proj, k_proj, v_proj, o_proj;
    private readonly RmsNorm? q_norm, k_norm;
    private readonly int heads, kvHeads, headDim;

    public HfAttention(HfConfig config) : base("self_attn")
    {
        (heads, kvHeads, headDim) = (config.Heads, config.KeyValueHeads, config.HeadDim);
        q_proj = Linear(config.HiddenSize, heads * headDim, hasBias: config.AttentionBias);
        k_proj = Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.AttentionBias);
        v_proj = Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.AttentionBias);
        o_proj = Linear(heads * headDim, config.HiddenSize, hasBias: config.OutputBias);
        if (config.Family == HfFamily.Qwen3) (q_norm, k_norm) = (new RmsNorm(headDim, config.RmsNormEps), new RmsNorm(headDim, config.RmsNormEps));
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, KvCache.Layer? cache, int start)
    {
        var (batch, length) = (x.shape[0], x.shape[1]);
        var q = q_proj.forward(x).view(batch, length, heads, headDim);
        var k = k_proj.forward(x).view(batch, length, kvHeads, headDim);
        var v = v_proj.forward(x).view(batch, length, kvHeads, headDim).transpose(1, 2);
        if (q_norm is not null) (q, k) = (q_norm.forward(q), k_norm!.forward(k));
        q = Rotary.Apply(q.transpose(1, 2), cos, sin);
        k = Rotary.Apply(k.transpose(1, 2), cos, sin);
        if (cache is not null) (k, v) = cache.Append(k, v, start);
        Tensor attended;
        if (length == 1 && heads != kvHeads)
        {
            // One new token sees all the cache, unmasked: each key-value head's queries attend as a group of rows,
            // so the cache is read in place instead of copied once per query head.
            attended = functional.scaled_dot_product_attention(q.view(batch, kvHeads, heads / kvHeads, headDim), k, v).view(batch, heads, 1, headDim);
        }
        else
        {
            if (heads != kvHeads) (k, v) = (k.repeat_interleave(heads / kvHeads, 1), v.repeat_interleave(heads / kvHeads, 1));
            // A prefill (several new tokens from position 0) needs the causal mask; one new token sees all the cache.
            attended = functional.scaled_dot_product_attention(q, k, v, null, 0.0, length > 1);
        }
        return o_proj.forward(attended.transpose(1, 2).reshape(batch, length, heads * headDim));
    }
}

/// <summary><c>mlp.*</c>: down(silu(gate(x)) · up(x)).</summary>
public sealed class HfMlp : Module
{
    private readonly Linear gate_proj, up_proj, down_proj;

    public HfMlp(HfConfig config) : base("mlp")
    {
        gate_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        up_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        down_proj = Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x) => down_proj.forward(functional.silu(gate_proj.forward(x)) * up_proj.forward(x));
}

/// <summary>RMSNorm with a learned scale, computed in float32 and cast back, as the checkpoints' own code does.</summary>
public sealed class RmsNorm : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(long size, double eps) : base("norm")
    {
        weight = Parameter(ones(size));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var wide = x.to_type(ScalarType.Float32);
        var normed = wide * rsqrt(wide.pow(2).mean([-1], keepdim: true) + eps);
        return (weight * normed.to_type(x.dtype)).MoveToOuterDisposeScope();
    }
}

/// <summary>Rotary position embeddings: inverse frequencies θ^(−2i/d), with Llama-3's scaling when the config has it.</summary>
public sealed class Rotary
{
    // On the CPU, where the angles are computed; cos and sin then move to the model's device.
    private readonly Tensor _frequencies;

    public Rotary(HfConfig config)
    {
        var inverse = Enumerable.Range(0, config.HeadDim / 2).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim));
        _frequencies = tensor(inverse.Select(f => (float)(config.RopeScaling is { } s ? Scaled(f, s) : f)).ToArray()).DetachFromDisposeScope();
    }

    // Llama-3: wavelengths past the original context's low-frequency bound slow by the factor, those under the
    // high-frequency bound stay, and those between blend the two.
    private static double Scaled(double frequency, Llama3RopeScaling s)
    {
        var wavelength = 2 * Math.PI / frequency;
        if (wavelength > s.OriginalContext / s.LowFrequencyFactor) return frequency / s.Factor;
        if (wavelength < s.OriginalContext / s.HighFrequencyFactor) return frequency;
        var smooth = (s.OriginalContext / wavelength - s.LowFrequencyFactor) / (s.HighFrequencyFactor - s.LowFrequencyFactor);
        return (1 - smooth) * frequency / s.Factor + smooth * frequency;
    }

    /// <summary>cos and sin [t, d] for positions start…start+t−1, each half repeated (rotate-half layout).</summary>
    public (Tensor Cos, Tensor Sin) At(int start, long length, Device device, ScalarType type)
    {
        using var scope = NewDisposeScope();
        var positions = arange(start, start + length, dtype: ScalarType.Float32);
        var angles = outer(positions, _frequencies);
        var both = cat([angles, angles], -1);
        return (both.cos().to(type, device).MoveToOuterDisposeScope(), both.sin().to(type, device).MoveToOuterDisposeScope());
    }

    /// <summary>x·cos + rotate_half(x)·sin for x [B, heads, t, d].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return x * cos + rotated * sin;
    }
}
