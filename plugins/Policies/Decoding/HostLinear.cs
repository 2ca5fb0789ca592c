using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// A linear layer y = x·Wᵀ + b copied to the host for decoding small models, where each of libtorch's native calls would
/// cost more than its arithmetic. The weight is stored transposed ([in, out], out padded to 16 columns) so a block of 4
/// rows × 16 outputs accumulates in registers while the weight streams past once. Every output starts from its bias
/// and adds the inputs in order, whichever block its row falls in, so a row's result does not depend on its batch.
/// </summary>
public sealed class HostLinear
{
    private const int Columns = 16;
    private readonly float[] _weight;
    private readonly float[] _bias;

    /// <param name="weight">[out, in], as a TorchSharp linear layer holds it.</param>
    public HostLinear(Tensor weight, Tensor? bias)
    {
        (Out, In) = ((int)weight.shape[0], (int)weight.shape[1]);
        Padded = (Out + Columns - 1) / Columns * Columns;
        var w = Host(weight);
        _weight = new float[In * Padded];
        for (var n = 0; n < Out; n++)
            for (var k = 0; k < In; k++) _weight[k * Padded + n] = w[n * In + k];
        _bias = new float[Padded];
        if (bias is not null) Host(bias).CopyTo(_bias, 0);
    }

    public int In { get; }

    public int Out { get; }

    /// <summary>Out rounded up to the 16-column blocks: the row stride an output buffer needs unless <c>accumulate</c> is set.</summary>
    public int Padded { get; }

    /// <summary>A parameter's values in host memory, as float32.</summary>
    public static float[] Host(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>y[r] = x[r]·Wᵀ + b for <paramref name="rows"/> rows, or y[r] += x[r]·Wᵀ + b with <paramref name="accumulate"/> (only the Out real columns written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<float> x, int xStride, int rows, Span<float> y, int yStride, bool accumulate = false)
    {
        if (rows == 0) return;
        // The loops below read and write without bounds checks.
        if (x.Length < (rows - 1) * xStride + In || y.Length < (rows - 1) * yStride + (accumulate ? Out : Padded))
            throw new ArgumentException($"HostLinear: buffers of {x.Length} and {y.Length} floats are too small for {rows} rows of {In} → {Out} (strides {xStride}, {yStride}).");
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        // A block's sums go through this buffer: vectors kept live across a call would be spilled inside the loop.
        Span<float> block = stackalloc float[4 * Columns];
        var r = 0;
        for (; r + 4 <= rows; r += 4)
            for (var n = 0; n < Padded; n += Columns)
            {
                Block4(ref Unsafe.Add(ref xs, r * xStride), xStride, n, block);
                for (var i = 0; i < 4; i++) Store(ref ys, (r + i) * yStride, n, block.Slice(i * Columns, Columns), accumulate);
            }
        for (; r < rows; r++)
            for (var n = 0; n < Padded; n += Columns)
            {
                Block1(ref Unsafe.Add(ref xs, r * xStride), n, block);
                Store(ref ys, r * yStride, n, block[..Columns], accumulate);
            }
    }

    // Four rows × 16 outputs from column n: eight accumulators in registers while the weight panel streams past.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Block4(ref float x, int xStride, int n, Span<float> sums)
    {
        ref var w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weight), n);
        ref var b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bias), n);
        var a00 = Vector256.LoadUnsafe(ref b);
        var a01 = Vector256.LoadUnsafe(ref b, 8);
        Vector256<float> a10 = a00, a11 = a01, a20 = a00, a21 = a01, a30 = a00, a31 = a01;
        ref var x1 = ref Unsafe.Add(ref x, xStride);
        ref var x2 = ref Unsafe.Add(ref x, 2 * xStride);
        ref var x3 = ref Unsafe.Add(ref x, 3 * xStride);
        var padded = (nuint)Padded;
        for (nuint k = 0, at = 0; k < (nuint)In; k++, at += padded)
        {
            var w0 = Vector256.LoadUnsafe(ref w, at);
            var w1 = Vector256.LoadUnsafe(ref w, at + 8);
            var v = Vector256.Create(Unsafe.Add(ref x, k));
            a00 = MulAdd(v, w0, a00);
            a01 = MulAdd(v, w1, a01);
            v = Vector256.Create(Unsafe.Add(ref x1, k));
            a10 = MulAdd(v, w0, a10);
            a11 = MulAdd(v, w1, a11);
            v = Vector256.Create(Unsafe.Add(ref x2, k));
            a20 = MulAdd(v, w0, a20);
            a21 = MulAdd(v, w1, a21);
            v = Vector256.Create(Unsafe.Add(ref x3, k));
            a30 = MulAdd(v, w0, a30);
            a31 = MulAdd(v, w1, a31);
        }
        ref var s = ref MemoryMarshal.GetReference(sums);
        a00.StoreUnsafe(ref s, 0);
        a01.StoreUnsafe(ref s, 8);
        a10.StoreUnsafe(ref s, 16);
        a11.StoreUnsafe(ref s, 24);
        a20.StoreUnsafe(ref s, 32);
        a21.StoreUnsafe(ref s, 40);
        a30.StoreUnsafe(ref s, 48);
        a31.StoreUnsafe(ref s, 56);
    }

    // One row × 16 outputs, summed in the same order as in a block of four.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Block1(ref float x, int n, Span<float> sums)
    {
        ref var w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weight), n);
        ref var b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bias), n);
        var a0 = Vector256.LoadUnsafe(ref b);
        var a1 = Vector256.LoadUnsafe(ref b, 8);
        var padded = (nuint)Padded;
        for (nuint k = 0, at = 0; k < (nuint)In; k++, at += padded)
        {
            var v = Vector256.Create(Unsafe.Add(ref x, k));
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref w, at), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref w, at + 8), a1);
        }
        ref var s = ref MemoryMarshal.GetReference(sums);
        a0.StoreUnsafe(ref s, 0);
        a1.StoreUnsafe(ref s, 8);
    }

    // Writes (or adds) one row's 16 outputs from column n; when adding, only the Out real columns, so the target needs no padding.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Store(ref float y, int row, int n, ReadOnlySpan<float> sums, bool accumulate)
    {
        ref var at = ref Unsafe.Add(ref y, row + n);
        var count = accumulate ? Math.Min(Columns, Out - n) : Columns;
        if (!accumulate)
        {
            Vector256.Create(sums[..8]).StoreUnsafe(ref at);
            Vector256.Create(sums[8..]).StoreUnsafe(ref at, 8);
        }
        else if (count == Columns)
        {
            (Vector256.LoadUnsafe(ref at) + Vector256.Create(sums[..8])).StoreUnsafe(ref at);
            (Vector256.LoadUnsafe(ref at, 8) + Vector256.Create(sums[8..])).StoreUnsafe(ref at, 8);
        }
        else
            for (var j = 0; j < count; j++) Unsafe.Add(ref at, j) += sums[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
