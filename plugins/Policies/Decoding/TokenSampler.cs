using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// Picks the next token of one row from its logits on the host: greedy at temperature 0 (the first highest logit), else
/// a draw from softmax(logits / temperature), cut to the nucleus when top-p is under 1: the smallest prefix of the
/// most likely tokens (ties in id order) whose mass before each kept token is at most top-p. Holds scratch buffers,
/// so one instance serves one thread.
/// </summary>
public sealed class TokenSampler(double temperature, double topP)
{
    private float[] _probabilities = [];
    private int[] _candidates = [];

    /// <summary>The chosen id; <paramref name="logits"/> is left as it was given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Choose(ReadOnlySpan<float> logits, ref RowRandom random)
    {
        if (temperature <= 0) return ArgMax(logits);
        if (_probabilities.Length < logits.Length) _probabilities = new float[logits.Length];
        var p = _probabilities.AsSpan(0, logits.Length);
        var total = Exponentials(logits, (float)(1 / temperature), p);
        if (!(total > 0 && float.IsFinite(total)))
            throw new InvalidOperationException($"the next-token logits are not finite numbers (their softmax sums to {total}); the weights may have diverged");
        return topP >= 1 ? Draw(p, total, random.NextDouble()) : Nucleus(p, total, random.NextDouble());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }

    // p = exp((logits − max) · scale), returning Σ p.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Exponentials(ReadOnlySpan<float> logits, float scale, Span<float> p)
    {
        var max = float.NegativeInfinity;
        foreach (var x in logits) max = MathF.Max(max, x);
        var i = 0;
        var sums = Vector256<float>.Zero;
        if (Vector256.IsHardwareAccelerated)
        {
            var (m, s) = (Vector256.Create(max), Vector256.Create(scale));
            for (; i + 8 <= logits.Length; i += 8)
            {
                var e = Vector256.Exp((Vector256.Create(logits.Slice(i, 8)) - m) * s);
                e.CopyTo(p.Slice(i, 8));
                sums += e;
            }
        }
        var total = Vector256.Sum(sums);
        for (; i < logits.Length; i++) total += p[i] = MathF.Exp((logits[i] - max) * scale);
        return total;
    }

    // The token where the running sum first passes u · total.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Draw(ReadOnlySpan<float> p, float total, double u)
    {
        var target = u * total;
        double running = 0;
        var last = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0) continue;
            running += p[i];
            last = i;
            if (running > target) return i;
        }
        return last;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Nucleus(ReadOnlySpan<float> p, float total, double u)
    {
        if (_candidates.Length < p.Length) _candidates = new int[p.Length];
        // Only tokens above a threshold can be in the nucleus when those above it already carry more than top-p, so
        // a large vocabulary is sorted only as far as it must be; the threshold falls until that holds.
        var mass = topP * total;
        for (var threshold = total / p.Length; ; threshold /= 64)
        {
            var count = 0;
            double above = 0;
            for (var i = 0; i < p.Length; i++)
                if (p[i] >= threshold) (_candidates[count++], above) = (i, above + p[i]);
            if (above <= mass && count < p.Length) continue;
            var candidates = _candidates.AsSpan(0, count);
            var probabilities = _probabilities;
            candidates.Sort((a, b) => probabilities[b] != probabilities[a] ? probabilities[b].CompareTo(probabilities[a]) : a.CompareTo(b));
            double before = 0;
            var kept = 0;
            while (kept < count && before <= mass) before += p[candidates[kept++]];
            return candidates[Draw(candidates[..kept], p, before, u)];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Draw(ReadOnlySpan<int> ids, ReadOnlySpan<float> p, double kept, double u)
    {
        var target = u * kept;
        double running = 0;
        for (var k = 0; k < ids.Length; k++)
        {
            running += p[ids[k]];
            if (running > target) return k;
        }
        return ids.Length - 1;
    }
}
