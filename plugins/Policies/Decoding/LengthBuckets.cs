using Harness.Abstractions;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// Batched sampling shared by the decoders: prompts of one token length decode together, G rows each, so no row
/// needs padding or a mask; the groups come back in the request's order. One generator serves the whole request.
/// </summary>
public static class LengthBuckets
{
    /// <param name="generate">Decodes rows of equal-length prompts (the first prompt's index given for messages) into one completion per row.</param>
    public static IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request, int[][] prompts, Device device,
        Func<int[][], Generator, int, SampledCompletion[]> generate)
    {
        using var noGrad = no_grad();
        var generator = new Generator((ulong)request.Seed, device);
        var groups = new SampledCompletion[prompts.Length][];
        foreach (var bucket in Enumerable.Range(0, prompts.Length).GroupBy(i => prompts[i].Length))
        {
            var rows = bucket.SelectMany(i => Enumerable.Repeat(i, request.GroupSize)).ToArray();
            var completions = generate([.. rows.Select(i => prompts[i])], generator, bucket.First());
            foreach (var (promptIndex, k) in bucket.Select((p, k) => (p, k)))
                groups[promptIndex] = completions[(k * request.GroupSize)..((k + 1) * request.GroupSize)];
        }
        return groups;
    }

    /// <summary>
    /// One decoding step's choice: the request's sampling fixes on every unfinished row's logits, then greedy or
    /// nucleus sampling. Returns the chosen ids as a [B] tensor (to feed back) and as host numbers (to record).
    /// </summary>
    public static (Tensor Next, long[] Chosen) Choose(Tensor logits, SamplingRequest request, List<int>[] tokens, bool[] finished, Generator generator)
    {
        var adjusted = LogitsProcessing.Apply(logits, request.LogitsProcessors, tokens, finished);
        var next = TokenChooser.Choose(adjusted, request.Temperature, request.TopP, generator);
        return (next, next.cpu().data<long>().ToArray());
    }
}
