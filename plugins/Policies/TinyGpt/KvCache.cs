using static TorchSharp.torch;

namespace Harness.Plugins.Policies.TinyGpt;

/// <summary>
/// Keys and values of every layer for a batch being decoded, preallocated to the model's context so each new
/// token costs one attention row instead of a pass over the whole sequence.
/// </summary>
public sealed class KvCache : IDisposable
{
    public KvCache(GptShape shape, long batch, Device device)
    {
        var headWidth = shape.Width / shape.Heads;
        Layers = [.. Enumerable.Range(0, shape.Layers).Select(_ => new Layer(
            zeros(batch, shape.Heads, shape.Context, headWidth, device: device),
            zeros(batch, shape.Heads, shape.Context, headWidth, device: device)))];
    }

    public IReadOnlyList<Layer> Layers { get; }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }

    /// <summary>One layer's cache, [B, heads, context, head width] each.</summary>
    public sealed class Layer(Tensor keys, Tensor values) : IDisposable
    {
        /// <summary>Writes k and v [B, heads, t, w] at positions start… and returns the keys and values so far.</summary>
        public (Tensor Keys, Tensor Values) Append(Tensor k, Tensor v, int start)
        {
            var end = start + k.shape[2];
            keys.narrow(2, start, k.shape[2]).copy_(k);
            values.narrow(2, start, v.shape[2]).copy_(v);
            return (keys.narrow(2, 0, end), values.narrow(2, 0, end));
        }

        public void Dispose()
        {
            keys.Dispose();
            values.Dispose();
        }
    }
}
