namespace Harness.Experiments;

/// <summary>How the weights move: AdamW's settings, the gradient clip and the learning rate's schedule over a run.</summary>
/// <param name="GradClip">The largest global gradient norm; 0 turns clipping off.</param>
/// <param name="Steps">The run's length, which the schedule decays over.</param>
public sealed record UpdateSettings(double LearningRate, double Beta1, double Beta2, double WeightDecay, double GradClip,
    LearningRateSchedule Schedule, int WarmupSteps, int Steps)
{
    /// <summary>AdamW's ε.</summary>
    public const double Eps = 1e-8;

    /// <summary>An experiment's optimizer over its run's steps.</summary>
    public static UpdateSettings Of(OptimizerConfig o, int steps) => new(o.LearningRate, o.Beta1, o.Beta2, o.WeightDecay, o.GradClip, o.Schedule, o.WarmupSteps, steps);
}
