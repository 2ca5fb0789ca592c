namespace Harness.Abstractions;

/// <summary>
/// A metric a plugin logs, declared so the host can show it without spelling its name (contract 1.4): the report,
/// the progress line and <c>harness doctor</c> render what plugins declare.
/// </summary>
/// <param name="Name">The metric's name in metrics.jsonl, e.g. <c>"self_verify_rate"</c>.</param>
/// <param name="Meaning">One sentence on what it measures.</param>
public sealed record MetricInfo(string Name, string Meaning)
{
    /// <summary>A short label for tables, charts and the progress line, e.g. <c>"self-verify"</c>; defaults to the name.</summary>
    public string Label { get; init; } = Name;

    /// <summary>How a value is printed, as a .NET numeric format string, e.g. <c>"0.000"</c> or <c>"0.0"</c>.</summary>
    public string Format { get; init; } = "0.000";

    /// <summary>Whether a higher value is better; null when neither is.</summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>
    /// A family the metric belongs to, e.g. <c>"phrases"</c>: the report draws each family as one heatmap (a row per
    /// metric, by <see cref="Label"/>, against tenths of the run). Null for none.
    /// </summary>
    public string? Family { get; init; }

    /// <summary>Whether the progress line shows it while a run trains.</summary>
    public bool OnProgressLine { get; init; }
}
