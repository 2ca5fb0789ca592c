namespace Harness.Abstractions;

/// <summary>How <c>harness doctor</c> decides that a failure mode is present (contract 1.4).</summary>
public enum FailureRule
{
    /// <summary>The metric's moving average stays at or above the threshold over the run's last quarter.</summary>
    SustainedRate,

    /// <summary>The metric's moving average rose to a peak of at least the threshold, then fell to half of it or less by the last quarter.</summary>
    FallFromPeak,
}

/// <summary>
/// A failure mode a detector watches (contract 1.4): <c>harness doctor</c> judges it in any run from the metric the
/// detector logs, so a third-party detector adds a mode to the doctor without a change to the host.
/// </summary>
/// <param name="Name">The mode, e.g. <c>"ritual verification"</c>.</param>
/// <param name="Metric">The per-step metric that measures it, one the detector logs.</param>
/// <param name="Rule">How the metric says the mode is present.</param>
/// <param name="Threshold">The rate at which it is.</param>
/// <param name="Fix">The plugin that fixes it, e.g. <c>"overlap-penalty"</c>.</param>
/// <param name="FixKind">What kind of plugin the fix is, e.g. <c>"reward"</c>, <c>"sampling fix"</c> or <c>"fix strategy"</c>.</param>
/// <param name="Meaning">One phrase on what the mode looks like in completions.</param>
public sealed record FailureModeInfo(string Name, string Metric, FailureRule Rule, double Threshold, string Fix, string FixKind, string Meaning)
{
    /// <summary>The completion flag that marks an example of the mode, for the doctor's examples; null for none.</summary>
    public string? ExampleFlag { get; init; }
}
