using Harness.Abstractions;

namespace PluginNamespace1;

/// <summary>
/// A detector: flags each completion that contains <c>phrase</c> (default "wait", any case) and reports the
/// share of flagged completions per step as the metric harness-plugin-1_rate, which it declares, so the report
/// and the progress line show it by its label. Declare a FailureModeInfo in Outputs to have harness doctor
/// judge a failure mode from that metric.
/// </summary>
[Plugin("harness-plugin-1", Description = "flags completions that contain a phrase; the rate per step")]
public sealed class PluginClass1(PluginSettings settings) : IDetector, IDeclaresOutputs
{
    private readonly string _phrase = settings.GetString("phrase", "wait");

    public PluginOutputs Outputs => new(
        [new MetricInfo("harness-plugin-1_rate", $"share of completions that say '{_phrase}'") { Label = _phrase, OnProgressLine = true }]);

    public DetectorReport Detect(DetectorInput step)
    {
        // One findings entry per completion, in the input's order: the harness stops the run otherwise.
        var findings = step.Completions.Select(c => Find(c.Text)).ToArray();
        var rate = findings.Length == 0 ? 0.0 : findings.Count(f => f.Flags.Count > 0) / (double)findings.Length;
        return new DetectorReport(findings, new Dictionary<string, double> { ["harness-plugin-1_rate"] = rate });
    }

    private CompletionFindings Find(string text)
    {
        var at = text.IndexOf(_phrase, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return new CompletionFindings([], new Dictionary<string, double>());
        return new CompletionFindings(["harness-plugin-1"], new Dictionary<string, double> { ["harness-plugin-1_position"] = at })
        {
            Spans = [new FindingSpan(at, _phrase.Length, "harness-plugin-1")],
        };
    }
}
