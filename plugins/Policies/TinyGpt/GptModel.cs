using Harness.Plugins.Policies.Decoding;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Plugins.Policies.TinyGpt;

/// <summary>
/// A GPT-2-style decoder (pre-norm blocks, learned positions, GELU MLP) over characters. <see cref="forward"/>
/// scores whole sequences; <see cref="Decode"/> extends sequences a few tokens at a time through a KV cache.
/// </summary>
public sealed class GptModel : Module<Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Embedding positions;
    private readonly ModuleList<GptBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public GptModel(GptShape shape) : base("tiny_gpt")
    {
        Shape = shape;
        tokens = Embedding(CharTokenizer.VocabularySize, shape.Width);
        positions = Embedding(shape.Context, shape.Width);
        blocks = new ModuleList<GptBlock>([.. Enumerable.Range(0, shape.Layers).Select(_ => new GptBlock(shape))]);
        norm = LayerNorm(shape.Width);
        head = Linear(shape.Width, CharTokenizer.VocabularySize, hasBias: false);
        RegisterComponents();
        InitializeWeights();
    }

    public GptShape Shape { get; }

    /// <summary>Logits [B, T, V] for token ids [B, T] starting at position 0, causally masked.</summary>
    public override Tensor forward(Tensor ids) => Decode(ids, null, 0);

    /// <summary>Logits [B, t, V] for <paramref name="ids"/> [B, t] at positions start…start+t−1, reading and extending <paramref name="cache"/>.</summary>
    public Tensor Decode(Tensor ids, KvCache? cache, int start)
    {
        using var hidden = Hidden(ids, cache, start);
        return head.forward(hidden);
    }

    /// <summary>The final (normed) hidden states [B, t, W] that the head turns into logits.</summary>
    public Tensor Hidden(Tensor ids, KvCache? cache, int start)
    {
        using var scope = NewDisposeScope();
        var length = ids.shape[1];
        var positionIds = arange(start, start + length, dtype: ScalarType.Int64, device: ids.device);
        var x = tokens.forward(ids) + positions.forward(positionIds);
        for (var i = 0; i < blocks.Count; i++)
            x = blocks[i].Forward(x, cache?.Layers[i], start);
        return norm.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>[V, W]: the head's weight.</summary>
    public Tensor HeadWeight => head.weight!;

    private void InitializeWeights()
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal)) init.zeros_(parameter);
            else if (parameter.dim() == 2) init.normal_(parameter, 0, 0.02);
        }
    }
}

/// <summary>One pre-norm transformer block: x + attention(norm(x)), then x + MLP(norm(x)).</summary>
public sealed class GptBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm attentionNorm;
    private readonly Linear qkv;
    private readonly Linear projection;
    private readonly LayerNorm mlpNorm;
    private readonly Linear up;
    private readonly Linear down;
    private readonly int heads;

    public GptBlock(GptShape shape) : base("block")
    {
        heads = shape.Heads;
        attentionNorm = LayerNorm(shape.Width);
        qkv = Linear(shape.Width, 3 * shape.Width);
        projection = Linear(shape.Width, shape.Width);
        mlpNorm = LayerNorm(shape.Width);
        up = Linear(shape.Width, 4 * shape.Width);
        down = Linear(4 * shape.Width, shape.Width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, null, 0);

    public Tensor Forward(Tensor x, KvCache.Layer? cache, int start)
    {
        x = x + Attend(attentionNorm.forward(x), cache, start);
        return x + down.forward(functional.gelu(up.forward(mlpNorm.forward(x))));
    }

    private Tensor Attend(Tensor x, KvCache.Layer? cache, int start)
    {
        var (batch, length, width) = (x.shape[0], x.shape[1], x.shape[2]);
        var split = qkv.forward(x).view(batch, length, 3, heads, width / heads).permute(2, 0, 3, 1, 4);
        Tensor q = split[0], k = split[1], v = split[2];
        if (cache is not null)
        {
            (k, v) = cache.Append(k, v, start);
        }
        // A prefill (several new tokens from position 0) needs the causal mask; one new token sees all the cache.
        var attended = functional.scaled_dot_product_attention(q, k, v, null, 0.0, length > 1);
        return projection.forward(attended.transpose(1, 2).reshape(batch, length, width));
    }
}
