namespace Harness.Grpo;

/// <summary>The advantages of one prompt group.</summary>
/// <param name="Values">One advantage per completion, in order.</param>
/// <param name="Mean">The group's mean reward.</param>
/// <param name="Std">The std the rewards were divided by (the group's, the batch's or the whitening's); 1 when not scaled.</param>
/// <param name="ZeroStd">
/// All rewards in the group were equal (TRL's <c>frac_reward_zero_std</c>). Under <c>grpo</c> and <c>rloo</c> every advantage
/// is then exactly 0 and the group teaches nothing; REINFORCE++-baseline's whitening shifts it by the batch mean.
/// </param>
public sealed record GroupAdvantages(IReadOnlyList<double> Values, double Mean, double Std, bool ZeroStd);

/// <summary>The advantages of a batch of groups.</summary>
public sealed record BatchAdvantages(IReadOnlyList<GroupAdvantages> Groups)
{
    /// <summary>Groups whose rewards were all equal (TRL's <c>frac_reward_zero_std</c> numerator).</summary>
    public int ZeroStdGroups => Groups.Count(g => g.ZeroStd);
}

/// <summary>
/// Group-relative advantages (GRPO, the default estimator): A_i = (r_i − mean(r)) / s, one scalar per completion, where s
/// is the group std, the batch std or 1 (<see cref="AdvantageScale"/>). A group whose rewards are all equal gets
/// exactly 0 (never NaN) and is counted; so does a group of one completion under the sample std. The other estimators
/// (<see cref="AdvantageEstimator"/>) are dispatched from here.
/// Source: verl <c>compute_grpo_outcome_advantage</c>, verl/trainer/ppo/core_algos.py at b178a3cd.
/// </summary>
public static class Advantages
{
    public static GroupAdvantages ForGroup(IReadOnlyList<double> rewards, AdvantageOptions options, IReadOnlyList<int>? lengths = null) =>
        Compute([rewards], options, lengths is null ? null : [lengths]).Groups[0];

    /// <param name="groups">Each group's rewards.</param>
    /// <param name="options">The estimator and, for <c>grpo</c>, its scale.</param>
    /// <param name="lengths">Each completion's token count, per group: REINFORCE++-baseline whitens over tokens and needs them.</param>
    public static BatchAdvantages Compute(IReadOnlyList<IReadOnlyList<double>> groups, AdvantageOptions options, IReadOnlyList<IReadOnlyList<int>>? lengths = null)
    {
        Validate(groups);
        switch (options.Estimator)
        {
            case AdvantageEstimator.Rloo: return new BatchAdvantages([.. groups.Select(LeaveOneOutAdvantages.ForGroup)]);
            case AdvantageEstimator.ReinforcePlusPlusBaseline:
                return ReinforcePlusPlusBaselineAdvantages.Compute(groups, lengths
                    ?? throw new HarnessException("reinforce-plus-plus-baseline whitens over tokens: give each completion's length."));
        }
        var batchStd = options.Scale == AdvantageScale.Batch ? Std(groups.SelectMany(g => g).ToArray(), options.Std) : 1.0;
        return new BatchAdvantages(groups.Select(g => ForValidGroup(g, options, batchStd)).ToArray());
    }

    private static GroupAdvantages ForValidGroup(IReadOnlyList<double> rewards, AdvantageOptions options, double batchStd)
    {
        var mean = Mean(rewards);
        var scale = options.Scale switch
        {
            AdvantageScale.Group => Std(rewards, options.Std),
            AdvantageScale.Batch => batchStd,
            _ => 1.0,
        };
        // Equal rewards are decided on the rewards themselves: their float mean can differ from them by an
        // ulp, which divided by a tiny std would give ±1 instead of 0.
        var degenerate = AllEqual(rewards) || (options.Std == StdKind.Sample && rewards.Count < 2);
        var values = degenerate || scale == 0
            ? new double[rewards.Count]
            : rewards.Select(r => (r - mean) / scale).ToArray();
        return new GroupAdvantages(values, mean, scale, degenerate);
    }

    /// <summary>Whether every reward of a group is the same value (decided on the values, not on a float std).</summary>
    public static bool AllEqual(IReadOnlyList<double> rewards) => rewards.All(r => r == rewards[0]);

    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? 0 : values.Sum() / values.Count;

    /// <summary>Population or sample std; 0 where it is undefined (fewer than two values for the sample std).</summary>
    public static double Std(IReadOnlyList<double> values, StdKind kind)
    {
        var n = values.Count;
        var denominator = kind == StdKind.Sample ? n - 1 : n;
        if (denominator <= 0) return 0;
        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / denominator);
    }

    private static void Validate(IReadOnlyList<IReadOnlyList<double>> groups)
    {
        for (var g = 0; g < groups.Count; g++)
        {
            if (groups[g].Count == 0) throw new HarnessException($"Group {g} is empty: every group needs at least one reward.");
            for (var i = 0; i < groups[g].Count; i++)
                if (!double.IsFinite(groups[g][i]))
                    throw new HarnessException(FormattableString.Invariant($"Group {g}, completion {i}: reward is {groups[g][i]}, not a finite number."));
        }
    }
}
