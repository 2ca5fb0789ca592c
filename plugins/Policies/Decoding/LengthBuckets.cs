using Harness.Abstractions;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// Batched sampling shared by the policies: prompts of one token length decode together, G rows each, so no row needs
/// padding or a mask; the groups come back in the request's order. Row g of prompt i is the request's row i·G + g, which
/// seeds its random stream.
/// </summary>
public static class LengthBuckets
{
    /// <param name="generate">Decodes rows of equal-length prompts (their ids, their rows in the request, and the first prompt's index, for messages) into one completion per row.</param>
    public static IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request, int[][] prompts, Func<int[][], long[], int, SampledCompletion[]> generate)
    {
        using var noGrad = no_grad();
        var groups = new SampledCompletion[prompts.Length][];
        var size = request.GroupSize;
        foreach (var bucket in Enumerable.Range(0, prompts.Length).GroupBy(i => prompts[i].Length))
        {
            var rows = bucket.SelectMany(i => Enumerable.Range(0, size).Select(g => (Prompt: i, Row: (long)i * size + g))).ToArray();
            var completions = generate([.. rows.Select(r => prompts[r.Prompt])], [.. rows.Select(r => r.Row)], bucket.First());
            foreach (var (promptIndex, k) in bucket.Select((p, k) => (p, k)))
                groups[promptIndex] = completions[(k * size)..((k + 1) * size)];
        }
        return groups;
    }
}
