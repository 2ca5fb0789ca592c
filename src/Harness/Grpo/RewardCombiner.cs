namespace Harness.Grpo;

/// <summary>
/// The scalar reward: a weighted sum of named terms, r_i = Σ_k w_k · term_k[i]. Every term stays available
/// on its own for logging.
/// </summary>
public static class RewardCombiner
{
    /// <param name="terms">Each term's values, one per completion, by term name.</param>
    /// <param name="weights">Weight by term name; a term without one weighs 1.</param>
    /// <param name="count">How many completions there are.</param>
    public static double[] Combine(IReadOnlyDictionary<string, IReadOnlyList<double>> terms, IReadOnlyDictionary<string, double> weights, int count)
    {
        var total = new double[count];
        foreach (var (name, values) in terms)
        {
            if (values.Count != count)
                throw new HarnessException($"Reward term '{name}' has {values.Count} values for {count} completions.");
            var weight = weights.GetValueOrDefault(name, 1.0);
            for (var i = 0; i < count; i++)
            {
                if (!double.IsFinite(values[i]))
                    throw new HarnessException(FormattableString.Invariant($"Reward term '{name}', completion {i}: value is {values[i]}, not a finite number."));
                total[i] += weight * values[i];
            }
        }
        return total;
    }
}
