using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>The element-wise and row-wise pieces of a small decoder on the host, for <see cref="HostLinear"/>'s callers.</summary>
public static class HostMath
{
    /// <summary>y = (x − mean) / √(var + eps) · weight + bias over each row of <paramref name="width"/> values (biased variance, as LayerNorm).</summary>
    public static void LayerNorm(ReadOnlySpan<float> x, int rows, int width, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, double eps, Span<float> y)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            var output = y.Slice(r * width, width);
            var mean = Sum(row) / width;
            float squares = 0;
            foreach (var value in row) squares += (value - mean) * (value - mean);
            var scale = (float)(1 / Math.Sqrt(squares / width + eps));
            for (var i = 0; i < width; i++) output[i] = (row[i] - mean) * scale * weight[i] + bias[i];
        }
    }

    /// <summary>GELU with the exact error function, x·½(1 + erf(x/√2)), in place; erf by Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7).</summary>
    public static void Gelu(Span<float> x)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(x);
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var z = Vector256.Abs(v) * Vector256.Create(InverseRootTwo);
                var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(P) * z);
                var polynomial = t * (Vector256.Create(A1) + t * (Vector256.Create(A2) + t * (Vector256.Create(A3) + t * (Vector256.Create(A4) + t * Vector256.Create(A5)))));
                var erf = Vector256<float>.One - polynomial * Vector256.Exp(-(z * z));
                // gelu(x) = ½x(1 + sign(x)·erf(|x|/√2)) = ½(x + |x|·erf(|x|/√2)).
                (Vector256.Create(0.5f) * (v + Vector256.Abs(v) * erf)).StoreUnsafe(ref start, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            var z = MathF.Abs(x[i]) * InverseRootTwo;
            var t = 1 / (1 + P * z);
            var erf = 1 - t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * MathF.Exp(-z * z);
            x[i] = 0.5f * (x[i] + MathF.Abs(x[i]) * erf);
        }
    }

    private const float InverseRootTwo = 0.70710678118654752f;
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>
    /// One query's attention over <paramref name="length"/> cached positions: softmax(q·K / √d)·V, written to
    /// <paramref name="output"/>. Keys are stored [d, capacity] (so the scores of 8 positions accumulate in one vector)
    /// and values [capacity, d]; <paramref name="scores"/> is scratch of at least length rounded up to 8.
    /// </summary>
    public static void Attend(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int capacity, int length, Span<float> scores, Span<float> output)
    {
        var width = query.Length;
        var scale = 1 / MathF.Sqrt(width);
        ref var k = ref MemoryMarshal.GetReference(keys);
        ref var s = ref MemoryMarshal.GetReference(scores);
        for (var t = 0; t < length; t += 8)
        {
            var sum = Vector256<float>.Zero;
            for (var d = 0; d < width; d++) sum = HostLinear.MulAdd(Vector256.Create(query[d]), Vector256.LoadUnsafe(ref k, (nuint)(d * capacity + t)), sum);
            (sum * Vector256.Create(scale)).StoreUnsafe(ref s, (nuint)t);
        }
        // Positions past the length in the last block of 8 weigh nothing.
        for (var t = length; t < (length + 7) / 8 * 8; t++) scores[t] = float.NegativeInfinity;
        var max = float.NegativeInfinity;
        foreach (var value in scores[..length]) max = MathF.Max(max, value);
        var total = Vector256<float>.Zero;
        for (var t = 0; t < length; t += 8)
        {
            var e = Vector256.Exp(Vector256.LoadUnsafe(ref s, (nuint)t) - Vector256.Create(max));
            e.StoreUnsafe(ref s, (nuint)t);
            total += e;
        }
        var inverse = 1 / Vector256.Sum(total);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var o = ref MemoryMarshal.GetReference(output);
        var vectors = width / 8 * 8;
        for (var d = 0; d < vectors; d += 8)
        {
            var sum = Vector256<float>.Zero;
            for (var t = 0; t < length; t++) sum = HostLinear.MulAdd(Vector256.Create(Unsafe.Add(ref s, t)), Vector256.LoadUnsafe(ref v, (nuint)(t * width + d)), sum);
            (sum * Vector256.Create(inverse)).StoreUnsafe(ref o, (nuint)d);
        }
        for (var d = vectors; d < width; d++)
        {
            float sum = 0;
            for (var t = 0; t < length; t++) sum += scores[t] * values[t * width + d];
            output[d] = sum * inverse;
        }
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        float total = 0;
        foreach (var value in values) total += value;
        return total;
    }
}
