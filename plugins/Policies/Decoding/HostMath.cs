using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>The element-wise and row-wise pieces of a small decoder on the host, for <see cref="HostLinear"/>'s callers.</summary>
public static class HostMath
{
    /// <summary>y = (x − mean) / √(var + eps) · weight + bias over each row of <paramref name="width"/> values (biased variance, as LayerNorm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>Where key d of position t lives in a row's key cache: positions in tiles of 8, each tile [d, 8], so the scores of a tile read one contiguous block.</summary>
    public static int KeyIndex(int t, int d, int width) => ((t >> 3) * width + d) * 8 + (t & 7);

    /// <summary>
    /// One query's attention over <paramref name="length"/> cached positions: softmax(q·K / √d)·V, written to
    /// <paramref name="output"/>. Keys are stored in tiles (<see cref="KeyIndex"/>) and values [position, d];
    /// <paramref name="scores"/> is scratch of at least length rounded up to 8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Attend(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int length, Span<float> scores, Span<float> output)
    {
        var width = query.Length;
        var scale = Vector256.Create(1 / MathF.Sqrt(width));
        ref var k = ref MemoryMarshal.GetReference(keys);
        ref var s = ref MemoryMarshal.GetReference(scores);
        ref var q = ref MemoryMarshal.GetReference(query);
        var max = Vector256.Create(float.NegativeInfinity);
        for (var t = 0; t < length; t += 8)
        {
            ref var tile = ref Unsafe.Add(ref k, t * width);
            var sum = Vector256<float>.Zero;
            for (var d = 0; d < width; d++) sum = HostLinear.MulAdd(Vector256.Create(Unsafe.Add(ref q, d)), Vector256.LoadUnsafe(ref tile, (nuint)(d * 8)), sum);
            sum *= scale;
            // Positions past the length in the last tile weigh nothing.
            if (t + 8 > length) sum = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Create(t) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(length)).AsSingle(), sum, Vector256.Create(float.NegativeInfinity));
            sum.StoreUnsafe(ref s, (nuint)t);
            max = Vector256.Max(max, sum);
        }
        var top = Vector256.Create(Vector256Max(max));
        var total = Vector256<float>.Zero;
        for (var t = 0; t < length; t += 8)
        {
            var e = Vector256.Exp(Vector256.LoadUnsafe(ref s, (nuint)t) - top);
            e.StoreUnsafe(ref s, (nuint)t);
            total += e;
        }
        var inverse = Vector256.Create(1 / Vector256.Sum(total));
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var o = ref MemoryMarshal.GetReference(output);
        var d0 = 0;
        // Up to four vectors of the output at once, in one pass over the positions.
        for (; d0 + 8 <= width; d0 += 32) Accumulate(ref s, ref Unsafe.Add(ref v, d0), width, length, inverse, ref Unsafe.Add(ref o, d0), Math.Min(4, (width - d0) / 8));
        for (d0 = width / 8 * 8; d0 < width; d0++)
        {
            float sum = 0;
            for (var t = 0; t < length; t++) sum += scores[t] * values[t * width + d0];
            output[d0] = sum * inverse[0];
        }
    }

    // Σ_t weight_t · value_t over `count` (1–4) vectors of 8 output columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(ref float weights, ref float values, int width, int length, Vector256<float> inverse, ref float output, int count)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (var t = 0; t < length; t++)
        {
            var p = Vector256.Create(Unsafe.Add(ref weights, t));
            ref var row = ref Unsafe.Add(ref values, t * width);
            a0 = HostLinear.MulAdd(p, Vector256.LoadUnsafe(ref row), a0);
            if (count > 1) a1 = HostLinear.MulAdd(p, Vector256.LoadUnsafe(ref row, 8), a1);
            if (count > 2) a2 = HostLinear.MulAdd(p, Vector256.LoadUnsafe(ref row, 16), a2);
            if (count > 3) a3 = HostLinear.MulAdd(p, Vector256.LoadUnsafe(ref row, 24), a3);
        }
        (a0 * inverse).StoreUnsafe(ref output);
        if (count > 1) (a1 * inverse).StoreUnsafe(ref output, 8);
        if (count > 2) (a2 * inverse).StoreUnsafe(ref output, 16);
        if (count > 3) (a3 * inverse).StoreUnsafe(ref output, 24);
    }

    private static float Vector256Max(Vector256<float> v)
    {
        var max = v[0];
        for (var i = 1; i < 8; i++) max = MathF.Max(max, v[i]);
        return max;
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        float total = 0;
        foreach (var value in values) total += value;
        return total;
    }
}
