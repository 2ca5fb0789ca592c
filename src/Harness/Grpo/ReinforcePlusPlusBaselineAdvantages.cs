namespace Harness.Grpo;

/// <summary>
/// REINFORCE++-baseline (Hu et al. 2025): subtract the group mean, c_i = r_i − mean_g(r) (a group of one keeps its reward),
/// then whiten over every token of the batch, each completion counting once per token:
/// μ = Σ_i T_i·c_i / (N + 10⁻⁸), σ² = Σ_i T_i·(c_i − μ)² / (N + 10⁻⁸) · N/(N − 1), A_i = (c_i − μ) / √(σ² + 10⁻⁸), with
/// N = Σ_i T_i. The ε terms are verl's. Token-weighted, so Σ_i T_i·A_i = 0 over the batch, not over a group.
/// Source: verl <c>compute_reinforce_plus_plus_baseline_outcome_advantage</c> and <c>masked_whiten</c>,
/// verl/trainer/ppo/core_algos.py and verl/utils/torch_functional.py at b178a3cd.
/// </summary>
public static class ReinforcePlusPlusBaselineAdvantages
{
    private const double Epsilon = 1e-8;

    public static BatchAdvantages Compute(IReadOnlyList<IReadOnlyList<double>> groups, IReadOnlyList<IReadOnlyList<int>> lengths)
    {
        if (lengths.Count != groups.Count || groups.Where((g, k) => lengths[k].Count != g.Count).Any())
            throw new HarnessException("reinforce-plus-plus-baseline needs one length per completion, in the rewards' groups.");
        foreach (var length in lengths.SelectMany(l => l))
            if (length <= 0) throw new HarnessException($"reinforce-plus-plus-baseline: a completion's length is {length}, not a positive token count.");
        var centred = groups.Select(g => g.Count == 1 ? [g[0]] : Advantages.AllEqual(g) ? new double[g.Count] : g.Select(r => r - Advantages.Mean(g)).ToArray()).ToArray();
        double tokens = 0, sum = 0;
        for (var k = 0; k < groups.Count; k++)
            for (var i = 0; i < groups[k].Count; i++) { tokens += lengths[k][i]; sum += lengths[k][i] * centred[k][i]; }
        var mean = sum / (tokens + Epsilon);
        double squares = 0;
        for (var k = 0; k < groups.Count; k++)
            for (var i = 0; i < groups[k].Count; i++) squares += lengths[k][i] * (centred[k][i] - mean) * (centred[k][i] - mean);
        var variance = tokens > 1 ? squares / (tokens + Epsilon) * tokens / (tokens - 1) : 0;
        var std = Math.Sqrt(variance + Epsilon);
        return new BatchAdvantages([.. groups.Select((g, k) => new GroupAdvantages(
            [.. centred[k].Select(c => (c - mean) / std)], Advantages.Mean(g), std, Advantages.AllEqual(g)))]);
    }
}
