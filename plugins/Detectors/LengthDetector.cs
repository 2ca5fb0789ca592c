using Harness.Abstractions;

namespace Harness.Plugins.Detectors;

/// <summary>
/// Completion length in tokens and characters, and the share of completions cut at the token limit
/// (<c>clipped_ratio</c>, the name TRL uses).
/// </summary>
[Plugin("length", Description = "completion length (tokens, characters) and share cut at the token limit")]
public sealed class LengthDetector : IDetector, IDeclaresOutputs
{
    public PluginOutputs Outputs { get; } = new(
    [
        new MetricInfo("completion_length_mean", "mean completion length in tokens") { Label = "length", Format = "0.0" },
        new MetricInfo("completion_length_min", "shortest completion in tokens") { Format = "0" },
        new MetricInfo("completion_length_max", "longest completion in tokens") { Format = "0" },
        new MetricInfo("completion_chars_mean", "mean completion length in characters") { Format = "0.0" },
        new MetricInfo("clipped_ratio", "share of completions cut at the token limit") { HigherIsBetter = false },
    ]);

    public DetectorReport Detect(DetectorInput step)
    {
        var completions = step.Completions;
        var findings = completions.Select(c => new CompletionFindings(
            c.Truncated ? ["truncated"] : [],
            new Dictionary<string, double> { ["tokens"] = c.TokenCount, ["chars"] = c.Text.Length })).ToArray();
        var aggregates = new Dictionary<string, double>();
        if (completions.Count > 0)
        {
            aggregates["completion_length_mean"] = completions.Average(c => c.TokenCount);
            aggregates["completion_length_min"] = completions.Min(c => c.TokenCount);
            aggregates["completion_length_max"] = completions.Max(c => c.TokenCount);
            aggregates["completion_chars_mean"] = completions.Average(c => c.Text.Length);
            aggregates["clipped_ratio"] = completions.Count(c => c.Truncated) / (double)completions.Count;
        }
        return new DetectorReport(findings, aggregates);
    }
}
