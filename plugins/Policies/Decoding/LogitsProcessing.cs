using System.Runtime.InteropServices;
using Harness.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>Runs a request's sampling fixes on the next-token logits of every unfinished row.</summary>
public static class LogitsProcessing
{
    /// <summary>Returns [B, V] logits after every processor has adjusted each unfinished row; the input when there are none.</summary>
    public static Tensor Apply(Tensor logits, IReadOnlyList<ILogitsProcessor> processors, List<int>[] generated, bool[] finished)
    {
        if (processors.Count == 0) return logits;
        var vocabulary = (int)logits.shape[1];
        // Processors read plain arrays, so the logits make one round trip through host memory per token.
        var values = logits.to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        for (var r = 0; r < generated.Length; r++)
        {
            if (finished[r]) continue;
            var row = values.AsSpan(r * vocabulary, vocabulary);
            foreach (var processor in processors) processor.Process(CollectionsMarshal.AsSpan(generated[r]), row);
        }
        return tensor(values, [generated.Length, vocabulary], device: logits.device).to_type(logits.dtype);
    }
}
