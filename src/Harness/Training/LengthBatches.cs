namespace Harness.Training;

/// <summary>
/// Splits a step's completions into micro-batches of similar length for scoring: a padded batch computes every
/// sequence to its longest one's length, so completions of 40 and 200 tokens side by side waste most of the work. The
/// split is the cheapest by dynamic programming over the completions sorted by length, a part costing its padded
/// positions (size × longest) plus a fixed <see cref="PartCost"/> for its own pass through the model.
/// </summary>
public static class LengthBatches
{
    /// <summary>What one more micro-batch costs, in padded positions: its own forward and backward calls.</summary>
    public const int PartCost = 256;

    /// <summary>Each micro-batch's completions (indices into <paramref name="lengths"/>), shortest first, at most <paramref name="maxSize"/> each.</summary>
    public static int[][] Split(IReadOnlyList<int> lengths, int maxSize)
    {
        var n = lengths.Count;
        if (n == 0) return [];
        maxSize = Math.Clamp(maxSize, 1, n);
        var order = Enumerable.Range(0, n).OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
        var best = new long[n + 1];
        var cut = new int[n + 1];
        for (var j = 1; j <= n; j++)
        {
            best[j] = long.MaxValue;
            var longest = Math.Max(1, lengths[order[j - 1]]);
            for (var i = Math.Max(0, j - maxSize); i < j; i++)
            {
                var cost = best[i] + (long)(j - i) * longest + PartCost;
                if (cost < best[j]) (best[j], cut[j]) = (cost, i);
            }
        }
        var parts = new List<int[]>();
        for (var j = n; j > 0; j = cut[j]) parts.Add(order[cut[j]..j]);
        parts.Reverse();
        return [.. parts];
    }
}
