namespace Harness.Grpo;

/// <summary>
/// How per-token losses of a batch become one scalar. The names are verl's <c>loss_agg_mode</c>.
/// With G completions of lengths T_i:
/// </summary>
public enum LossAggregation
{
    /// <summary>Mean over each completion's tokens, then mean over completions: (1/G) Σ_i (1/T_i) Σ_t ℓ_it (original GRPO).</summary>
    SeqMeanTokenMean,
    /// <summary>Mean over every token of the batch: Σ_i Σ_t ℓ_it / Σ_i T_i (DAPO).</summary>
    TokenMean,
    /// <summary>Sum over each completion's tokens, then mean over completions: (1/G) Σ_i Σ_t ℓ_it (the walkthrough).</summary>
    SeqMeanTokenSum,
    /// <summary>Like <see cref="SeqMeanTokenSum"/> divided by a fixed length L: (1/(G·L)) Σ_i Σ_t ℓ_it (Dr. GRPO).</summary>
    SeqMeanTokenSumNorm,
}

/// <summary>
/// The gradient mass each completion receives. At ratio 1 and β = 0 the clipped surrogate's per-token
/// loss is −A_i·ratio_it, so d loss / d log π(token) = −A_i·w_i, with w_i the weight the aggregation gives
/// each of completion i's tokens. Completion i's mass is |A_i|·T_i·w_i; its signed mass A_i·T_i·w_i.
/// </summary>
public static class LossAggregations
{
    /// <summary>The weight every token of completion <paramref name="i"/> gets in the aggregated loss.</summary>
    /// <param name="mode">The aggregation.</param>
    /// <param name="lengths">Token counts of every completion in the batch.</param>
    /// <param name="i">Which completion.</param>
    /// <param name="normLength">Dr. GRPO's fixed length L (normally the generation limit).</param>
    /// <remarks>A completion of length 0 (masked out of the loss) weighs 0 and still counts in G, as in TRL's truncation masking.</remarks>
    public static double TokenWeight(LossAggregation mode, IReadOnlyList<int> lengths, int i, int normLength)
    {
        var g = lengths.Count;
        if (lengths[i] == 0) return 0;
        return mode switch
        {
            LossAggregation.SeqMeanTokenMean => 1.0 / (g * (double)lengths[i]),
            LossAggregation.TokenMean => 1.0 / lengths.Sum(),
            LossAggregation.SeqMeanTokenSum => 1.0 / g,
            LossAggregation.SeqMeanTokenSumNorm => 1.0 / (g * (double)normLength),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    /// <summary>Signed gradient mass A_i·T_i·w_i of every completion (positive: its tokens are pushed up).</summary>
    public static double[] SignedMass(LossAggregation mode, IReadOnlyList<double> advantages, IReadOnlyList<int> lengths, int normLength)
    {
        if (advantages.Count != lengths.Count)
            throw new HarnessException($"{advantages.Count} advantages but {lengths.Count} lengths: give one length per completion.");
        for (var i = 0; i < lengths.Count; i++)
            if (lengths[i] <= 0) throw new HarnessException($"Completion {i}: length {lengths[i]} is not a positive token count.");
        if (mode == LossAggregation.SeqMeanTokenSumNorm && normLength <= 0)
            throw new HarnessException($"seq-mean-token-sum-norm needs a positive normalising length, got {normLength}.");
        return advantages.Select((a, i) => a * lengths[i] * TokenWeight(mode, lengths, i, normLength)).ToArray();
    }
}
