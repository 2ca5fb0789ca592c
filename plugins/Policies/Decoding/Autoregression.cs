using System.Runtime.InteropServices;
using Harness.Abstractions;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// The one autoregressive loop of every policy: each active row's logits go through the request's sampling fixes and
/// the row's own <see cref="TokenSampler"/> draw; a row ends at an ending id, after the stop text, or at the token limit
/// (truncated), and leaves the batch at once, so finished rows cost nothing. With several workers the rows are dealt
/// out (row r to worker r mod W), each worker decoding its share with a decoder of its own; since every row draws from
/// its own stream, the completions do not depend on the number of workers.
/// </summary>
public static class Autoregression
{
    /// <param name="prompts">Each row's prompt ids.</param>
    /// <param name="streams">Each row's place in the request, which seeds its random stream.</param>
    /// <param name="limit">The most tokens a row may generate.</param>
    /// <param name="open">Makes a decoder for a share of the rows.</param>
    public static SampledCompletion[] Run(int[][] prompts, long[] streams, SamplingRequest request, int limit, CompletionText text, Func<int, IRowDecoder> open, int workers = 1)
    {
        var completions = new SampledCompletion[prompts.Length];
        workers = Math.Clamp(workers, 1, Math.Max(1, prompts.Length));
        var fixes = new object();
        if (workers == 1)
        {
            Decode(Enumerable.Range(0, prompts.Length).ToArray(), prompts, streams, request, limit, text, open, completions, fixes);
            return completions;
        }
        var shares = Enumerable.Range(0, workers).Select(w => Enumerable.Range(0, prompts.Length).Where(r => r % workers == w).ToArray()).ToArray();
        Parallel.ForEach(shares, new ParallelOptions { MaxDegreeOfParallelism = workers },
            share => Decode(share, prompts, streams, request, limit, text, open, completions, fixes));
        return completions;
    }

    private static void Decode(int[] share, int[][] prompts, long[] streams, SamplingRequest request, int limit, CompletionText text, Func<int, IRowDecoder> open,
        SampledCompletion[] completions, object fixes)
    {
        using var decoder = open(share.Length);
        var vocabulary = decoder.Vocabulary;
        var logits = new float[share.Length * vocabulary];
        decoder.Start([.. share.Select(r => prompts[r])], logits);
        var sampler = new TokenSampler(request.Temperature, request.TopP);
        var random = share.Select(r => new RowRandom(request.Seed, streams[r])).ToArray();
        var tokens = share.Select(_ => new List<int>()).ToArray();
        var ended = new bool[share.Length];
        var (active, next) = (Enumerable.Range(0, share.Length).ToArray(), new int[share.Length]);
        for (var count = share.Length; count > 0;)
        {
            var kept = 0;
            for (var i = 0; i < count; i++)
            {
                var row = active[i];
                var rowLogits = logits.AsSpan(i * vocabulary, vocabulary);
                // Sampling fixes are plugins, never asked to be thread-safe: one call at a time.
                if (request.LogitsProcessors.Count > 0)
                    lock (fixes)
                        foreach (var processor in request.LogitsProcessors) processor.Process(CollectionsMarshal.AsSpan(tokens[row]), rowLogits);
                var id = sampler.Choose(rowLogits, ref random[row]);
                tokens[row].Add(id);
                if (text.IsEnd(id) || text.Stops(tokens[row])) ended[row] = true;
                else if (tokens[row].Count < limit) (active[kept], next[kept++]) = (row, id);
            }
            count = kept;
            if (count > 0) decoder.Extend(active.AsSpan(0, count), next.AsSpan(0, count), logits);
        }
        for (var i = 0; i < share.Length; i++)
            completions[share[i]] = new SampledCompletion(text.Of(tokens[i]), tokens[i].Count, !ended[i])
            {
                Tokens = tokens[i].ToArray(),
                TokenStrings = text.TokenString is { } name ? [.. tokens[i].Select(name)] : [],
            };
    }
}
