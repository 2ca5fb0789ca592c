using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Detectors;

/// <summary>
/// Flags self-verification phrases in each completion and whether each sits inside the think block.
/// The step's <c>self_verify_rate</c> counts only phrases inside the think block, where real reasoning
/// lives; phrases elsewhere are reported apart (<c>self_verify_rate_anywhere</c>) because they are a
/// sign of format hacking rather than verification.
/// </summary>
[Plugin("self-verification", Description = "self-verification phrases per completion; rate per phrase and overall")]
public sealed class SelfVerificationDetector : IDetector, IDeclaresOutputs
{
    public const string InThinkFlag = "self-verify";
    public const string OutsideThinkFlag = "phrase-outside-think";

    public PluginOutputs Outputs { get; } = new(
    [
        new MetricInfo("self_verify_rate", "share of completions with a self-verification phrase inside the think block") { Label = "self-verify", OnProgressLine = true },
        new MetricInfo("self_verify_rate_anywhere", "share of completions with a self-verification phrase anywhere"),
        .. VerificationPhrases.All.Select(p => new MetricInfo($"phrase/{p.Name}_rate", $"share of completions saying '{p.Name}' inside the think block") { Label = p.Name, Family = "phrases" }),
    ])
    {
        FailureModes = [new FailureModeInfo("premature plateau", "self_verify_rate", FailureRule.FallFromPeak, 0.2, "plateau-guard", "fix strategy",
            "self-verification rose, then fell back by half or more")],
    };

    public DetectorReport Detect(DetectorInput step)
    {
        var findings = step.Completions.Select(c => Examine(c.Text)).ToArray();
        var aggregates = new Dictionary<string, double>
        {
            ["self_verify_rate"] = FindingRates.Flagged(findings, InThinkFlag),
            ["self_verify_rate_anywhere"] = FindingRates.Share(findings, f => f.Flags.Count > 0),
        };
        foreach (var (name, _) in VerificationPhrases.All)
            aggregates[$"phrase/{name}_rate"] = FindingRates.Share(findings, f => f.Values.GetValueOrDefault($"{name}:in_think") > 0);
        return new DetectorReport(findings, aggregates);
    }

    /// <summary>Finds every tracked phrase in one completion.</summary>
    public static CompletionFindings Examine(string text)
    {
        var parts = CompletionParts.Parse(text);
        var flags = new List<string>();
        var values = new Dictionary<string, double>();
        var spans = new List<FindingSpan>();
        bool anyInside = false, anyOutside = false;
        foreach (var (name, pattern) in VerificationPhrases.All)
        {
            var matches = pattern.Matches(text);
            if (matches.Count == 0) continue;
            var inside = matches.Count(m => parts.IsInsideThink(m.Index));
            spans.AddRange(matches.Select(m => new FindingSpan(m.Index, m.Length, name)));
            flags.Add(name);
            values[$"{name}:in_think"] = inside;
            values[$"{name}:outside_think"] = matches.Count - inside;
            anyInside |= inside > 0;
            anyOutside |= inside < matches.Count;
        }
        if (anyInside) flags.Add(InThinkFlag);
        if (anyOutside) flags.Add(OutsideThinkFlag);
        return new CompletionFindings(flags, values) { Spans = [.. spans.OrderBy(s => s.Start)] };
    }
}
