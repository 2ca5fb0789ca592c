using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// Keys and values of every layer for a batch being decoded, preallocated to a capacity so each new token costs one
/// attention row instead of a pass over the whole sequence. Shared by the policies' decoders.
/// </summary>
public sealed class KvCache : IDisposable
{
    /// <param name="heads">Heads that keep keys and values (the key-value heads, under grouped-query attention).</param>
    /// <param name="capacity">The most positions the batch will hold.</param>
    public KvCache(int layers, long batch, long heads, long capacity, long headWidth, Device device, ScalarType type = ScalarType.Float32)
    {
        Layers = [.. Enumerable.Range(0, layers).Select(_ => new Layer(
            zeros([batch, heads, capacity, headWidth], type, device),
            zeros([batch, heads, capacity, headWidth], type, device)))];
    }

    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Keeps only the batch rows <paramref name="rows"/>, in that order (rows that finished leave the batch).</summary>
    public void Keep(Tensor rows)
    {
        foreach (var layer in Layers) layer.Keep(rows);
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }

    /// <summary>One layer's cache, [B, heads, capacity, head width] each.</summary>
    public sealed class Layer(Tensor keys, Tensor values) : IDisposable
    {
        /// <summary>Writes k and v [B, heads, t, w] at positions start… and returns the keys and values so far.</summary>
        public (Tensor Keys, Tensor Values) Append(Tensor k, Tensor v, int start)
        {
            var end = start + k.shape[2];
            using (var slot = keys.narrow(2, start, k.shape[2])) slot.copy_(k);
            using (var slot = values.narrow(2, start, v.shape[2])) slot.copy_(v);
            return (keys.narrow(2, 0, end), values.narrow(2, 0, end));
        }

        internal void Keep(Tensor rows)
        {
            var (oldKeys, oldValues) = (keys, values);
            keys = oldKeys.index_select(0, rows).DetachFromDisposeScope();
            values = oldValues.index_select(0, rows).DetachFromDisposeScope();
            oldKeys.Dispose();
            oldValues.Dispose();
        }

        public void Dispose()
        {
            keys.Dispose();
            values.Dispose();
        }
    }
}
