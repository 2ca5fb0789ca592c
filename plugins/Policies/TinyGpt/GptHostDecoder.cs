using System.Runtime.CompilerServices;
using Harness.Plugins.Policies.Decoding;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.TinyGpt;

/// <summary>
/// The tiny GPT's forward pass for sampling on the CPU, in managed vector code over a snapshot of its weights: one call
/// per token for the whole batch instead of some sixty native calls, each of which costs more than its arithmetic at
/// this size. Each row keeps its own position and cache, so rows of any prompt lengths decode together, a prompt
/// shared by several rows is read once, and finished rows cost nothing. Checked against <see cref="GptModel.forward"/>
/// by the tests.
/// </summary>
public sealed class GptHostDecoder : IRowDecoder
{
    private readonly Weights _w;
    private readonly int _capacity;
    private readonly int[] _positions;
    private readonly float[][] _keys, _values;
    private readonly float[] _x, _h, _qkv, _attended, _hidden, _head, _scores;

    public GptHostDecoder(Weights weights, int rows)
    {
        _w = weights;
        var s = weights.Shape;
        // Keys are read 8 positions at a time.
        _capacity = (s.Context + 7) / 8 * 8;
        _positions = new int[rows];
        var cache = rows * s.Width * _capacity;
        _keys = [.. Enumerable.Range(0, s.Layers).Select(_ => new float[cache])];
        _values = [.. Enumerable.Range(0, s.Layers).Select(_ => new float[cache])];
        (_x, _h, _attended) = (new float[rows * s.Width], new float[rows * s.Width], new float[rows * s.Width]);
        _qkv = new float[rows * weights.Blocks[0].Qkv.Padded];
        _hidden = new float[rows * weights.Blocks[0].Up.Padded];
        _head = new float[rows * weights.Head.Padded];
        _scores = new float[_capacity];
    }

    public int Vocabulary => CharTokenizer.VocabularySize;

    public void Start(int[][] prompts, Span<float> logits)
    {
        // Rows with the same prompt (a group's G rows) share its reading: it is decoded once and copied.
        var first = new Dictionary<string, int>();
        var source = prompts.Select((p, r) => (Key: string.Join(',', p), Row: r))
            .Select(x => first.TryGetValue(x.Key, out var earlier) ? earlier : first[x.Key] = x.Row).ToArray();
        var unique = Enumerable.Range(0, prompts.Length).Where(r => source[r] == r).ToArray();
        var longest = unique.Max(r => prompts[r].Length);
        var rows = new List<int>();
        var tokens = new List<int>();
        for (var t = 0; t < longest; t++)
        {
            rows.Clear();
            tokens.Clear();
            foreach (var r in unique.Where(r => prompts[r].Length > t))
            {
                rows.Add(r);
                tokens.Add(prompts[r][t]);
            }
            Step(rows.ToArray(), [.. tokens]);
            for (var i = 0; i < rows.Count; i++)
                if (prompts[rows[i]].Length == t + 1) CopyLogits(i, rows[i], logits);
        }
        for (var r = 0; r < prompts.Length; r++)
        {
            if (source[r] == r) continue;
            CopyRow(source[r], r);
            logits.Slice(source[r] * Vocabulary, Vocabulary).CopyTo(logits.Slice(r * Vocabulary, Vocabulary));
        }
    }

    public void Extend(ReadOnlySpan<int> rows, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        Step(rows, tokens);
        for (var i = 0; i < rows.Length; i++) CopyLogits(i, i, logits);
    }

    private void CopyLogits(int batchRow, int row, Span<float> logits) =>
        _head.AsSpan(batchRow * _w.Head.Padded, Vocabulary).CopyTo(logits.Slice(row * Vocabulary, Vocabulary));

    private void CopyRow(int from, int to)
    {
        var size = _w.Shape.Width * _capacity;
        for (var l = 0; l < _w.Shape.Layers; l++)
        {
            Array.Copy(_keys[l], from * size, _keys[l], to * size, size);
            Array.Copy(_values[l], from * size, _values[l], to * size, size);
        }
        _positions[to] = _positions[from];
    }

    // One token for each listed row at its own position; the logits land in _head, batch row i for rows[i].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(ReadOnlySpan<int> rows, ReadOnlySpan<int> tokens)
    {
        var s = _w.Shape;
        var (n, width, heads, headWidth) = (rows.Length, s.Width, s.Heads, s.HeadWidth);
        for (var i = 0; i < n; i++)
            if (_positions[rows[i]] >= s.Context)
                throw new InvalidOperationException($"Policy 'tiny-gpt': a row reached the context of {s.Context} positions.");
        for (var i = 0; i < n; i++)
        {
            var x = _x.AsSpan(i * width, width);
            var token = _w.Tokens.AsSpan(tokens[i] * width, width);
            var position = _w.Positions.AsSpan(_positions[rows[i]] * width, width);
            for (var d = 0; d < width; d++) x[d] = token[d] + position[d];
        }
        foreach (var (block, layer) in _w.Blocks.Select((b, l) => (b, l)))
        {
            HostMath.LayerNorm(_x, n, width, block.AttentionNorm.Weight, block.AttentionNorm.Bias, LayerNormEps, _h);
            block.Qkv.Apply(_h, width, n, _qkv, block.Qkv.Padded);
            var headCache = headWidth * _capacity;
            for (var i = 0; i < n; i++)
            {
                var (row, position) = (rows[i], _positions[rows[i]]);
                var qkv = _qkv.AsSpan(i * block.Qkv.Padded, 3 * width);
                for (var h = 0; h < heads; h++)
                {
                    var keys = _keys[layer].AsSpan((row * heads + h) * headCache, headCache);
                    var values = _values[layer].AsSpan((row * heads + h) * headCache, headCache);
                    for (var d = 0; d < headWidth; d++)
                    {
                        keys[HostMath.KeyIndex(position, d, headWidth)] = qkv[width + h * headWidth + d];
                        values[position * headWidth + d] = qkv[2 * width + h * headWidth + d];
                    }
                    HostMath.Attend(qkv.Slice(h * headWidth, headWidth), keys, values, position + 1, _scores, _attended.AsSpan(i * width + h * headWidth, headWidth));
                }
            }
            block.Projection.Apply(_attended, width, n, _x, width, accumulate: true);
            HostMath.LayerNorm(_x, n, width, block.MlpNorm.Weight, block.MlpNorm.Bias, LayerNormEps, _h);
            block.Up.Apply(_h, width, n, _hidden, block.Up.Padded);
            HostMath.Gelu(_hidden.AsSpan(0, n * block.Up.Padded));
            block.Down.Apply(_hidden, block.Up.Padded, n, _x, width, accumulate: true);
        }
        HostMath.LayerNorm(_x, n, width, _w.Norm.Weight, _w.Norm.Bias, LayerNormEps, _h);
        _w.Head.Apply(_h, width, n, _head, _w.Head.Padded);
        for (var i = 0; i < n; i++) _positions[rows[i]]++;
    }

    // TorchSharp's LayerNorm default.
    private const double LayerNormEps = 1e-5;

    public void Dispose()
    {
    }

    /// <summary>A LayerNorm's scale and shift.</summary>
    public sealed record Norm(float[] Weight, float[] Bias);

    /// <summary>One block's weights on the host.</summary>
    public sealed record Block(Norm AttentionNorm, HostLinear Qkv, HostLinear Projection, Norm MlpNorm, HostLinear Up, HostLinear Down);

    /// <summary>A snapshot of a <see cref="GptModel"/>'s weights, shared by every decoder of one sampling request.</summary>
    public sealed record Weights(GptShape Shape, float[] Tokens, float[] Positions, IReadOnlyList<Block> Blocks, Norm Norm, HostLinear Head)
    {
        public static Weights Of(GptModel model)
        {
            var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
            float[] Host(string name) => HostLinear.Host(p[name]);
            Norm NormOf(string name) => new(Host($"{name}.weight"), Host($"{name}.bias"));
            HostLinear Linear(string name) => new(p[$"{name}.weight"], p.TryGetValue($"{name}.bias", out var bias) ? bias : null);
            var blocks = Enumerable.Range(0, model.Shape.Layers).Select(i => $"blocks.{i}")
                .Select(b => new Block(NormOf($"{b}.attentionNorm"), Linear($"{b}.qkv"), Linear($"{b}.projection"), NormOf($"{b}.mlpNorm"), Linear($"{b}.up"), Linear($"{b}.down")))
                .ToArray();
            return new Weights(model.Shape, Host("tokens.weight"), Host("positions.weight"), blocks, NormOf("norm"), Linear("head"));
        }
    }
}
