namespace Harness.Grpo;

/// <summary>
/// RLOO (Ahmadian et al. 2024): each completion's baseline is the mean reward of the other n − 1 in its group,
/// A_i = r_i − (1/(n−1)) Σ_{j≠i} r_j = n/(n−1) · (r_i − mean(r)). Unscaled, so the advantages of a group sum to 0.
/// A group of one has no other completion: its advantage is its reward, as verl leaves it. A group whose rewards are all
/// equal gets exactly 0.
/// Source: verl <c>compute_rloo_outcome_advantage</c>, verl/trainer/ppo/core_algos.py at b178a3cd.
/// </summary>
public static class LeaveOneOutAdvantages
{
    public static GroupAdvantages ForGroup(IReadOnlyList<double> rewards)
    {
        var n = rewards.Count;
        var mean = Advantages.Mean(rewards);
        var equal = Advantages.AllEqual(rewards);
        if (n == 1) return new GroupAdvantages([rewards[0]], mean, 1, equal);
        var values = equal ? new double[n] : rewards.Select(r => n / (n - 1.0) * (r - mean)).ToArray();
        return new GroupAdvantages(values, mean, 1, equal);
    }
}
