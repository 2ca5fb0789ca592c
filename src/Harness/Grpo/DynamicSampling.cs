namespace Harness.Grpo;

/// <summary>
/// DAPO's dynamic sampling: a group whose rewards are all equal has zero advantage and no gradient, so it is dropped and
/// more prompts are drawn until the step holds the prompts it asks for, or the bound on draws is reached. The trainer
/// draws; this keeps the rule.
/// Source: verl's <c>algorithm.filter_groups</c> (<c>max_num_gen_batches</c>), verl/trainer/config/algorithm.py at b178a3cd.
/// </summary>
public static class DynamicSampling
{
    /// <summary>Whether a group teaches anything: its rewards are not all equal.</summary>
    public static bool Informative(IReadOnlyList<double> rewards) => !Advantages.AllEqual(rewards);

    /// <summary>
    /// Which groups of the draws so far make the step: the informative ones in draw order, at most <paramref name="wanted"/>.
    /// When none is informative after the last draw, the first draw's groups (they teach nothing, but the step's metrics
    /// are read on them).
    /// </summary>
    /// <param name="drawn">Every group's rewards, in draw order.</param>
    /// <param name="wanted">Prompts per step.</param>
    /// <param name="last">Whether no more draws are allowed.</param>
    /// <returns>The indices kept, or null to draw again.</returns>
    public static int[]? Keep(IReadOnlyList<IReadOnlyList<double>> drawn, int wanted, bool last)
    {
        var kept = Enumerable.Range(0, drawn.Count).Where(g => Informative(drawn[g])).Take(wanted).ToArray();
        if (kept.Length == wanted) return kept;
        if (!last) return null;
        return kept.Length > 0 ? kept : [.. Enumerable.Range(0, Math.Min(wanted, drawn.Count))];
    }
}
