namespace Harness.Grpo;

/// <summary>What the centred reward is divided by.</summary>
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

/// <summary>How advantages are computed from rewards.</summary>
public sealed record AdvantageOptions(AdvantageScale Scale = AdvantageScale.Group, StdKind Std = StdKind.Population);
