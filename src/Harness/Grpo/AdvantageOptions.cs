namespace Harness.Grpo;

/// <summary>What the centred reward is divided by (the <c>grpo</c> estimator only).</summary>
public enum AdvantageScale
{
    /// <summary>The group's own std (original GRPO, the default).</summary>
    Group,
    /// <summary>The std of every reward in the batch (TRL's <c>scale_rewards="batch"</c>).</summary>
    Batch,
    /// <summary>Nothing: the advantage is the centred reward (Dr. GRPO).</summary>
    None,
}

/// <summary>Which standard deviation.</summary>
public enum StdKind
{
    /// <summary>Divide by n (the walkthrough).</summary>
    Population,
    /// <summary>Divide by n − 1 (what TRL and verl compute).</summary>
    Sample,
}

/// <summary>Which baseline turns a group's rewards into advantages; the names are verl's <c>adv_estimator</c>.</summary>
public enum AdvantageEstimator
{
    /// <summary>The group mean, divided by <see cref="AdvantageScale"/> (<see cref="Advantages"/>).</summary>
    Grpo,
    /// <summary>The mean of the group's other completions (<see cref="LeaveOneOutAdvantages"/>).</summary>
    Rloo,
    /// <summary>The group mean, then whitened over the batch's tokens (<see cref="ReinforcePlusPlusBaselineAdvantages"/>).</summary>
    ReinforcePlusPlusBaseline,
}

/// <summary>How advantages are computed from rewards.</summary>
/// <param name="Scale">The <c>grpo</c> estimator's divisor; the other estimators have their own.</param>
/// <param name="Std">The std the <c>grpo</c> estimator divides by.</param>
/// <param name="Estimator">The baseline.</param>
public sealed record AdvantageOptions(AdvantageScale Scale = AdvantageScale.Group, StdKind Std = StdKind.Population,
    AdvantageEstimator Estimator = AdvantageEstimator.Grpo);
