using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Detectors;

/// <summary>
/// Format hacking: reward-shaped text in the wrong place, judged against the structure the completion's template asks
/// for. Per completion, the flags <c>phrase-after-answer</c> (a re-check, by its phrase or by a result derived again,
/// after the last <c>&lt;/answer&gt;</c>), <c>phrase-outside-think</c> (one outside the reasoning, where the completion
/// has or its layout asks for a think block; an unclosed block cut by the token limit is still the reasoning),
/// <c>extra-blocks</c> (more than one think or answer block) and <c>text-after-answer</c> (after a closed answer
/// block); per step, the share of completions with each flag and <c>format_hacking_rate</c>, the share with any.
/// Answers without a closing tag (<c>\boxed{}</c>, <c>####</c>) are followed by prose in real runs, which is no hack.
/// </summary>
[Plugin("format-hacking", Description = "verification phrases after the answer or outside <think>, extra blocks, text after </answer>")]
public sealed class FormatHackingDetector : IDetector, IDeclaresOutputs
{
    public static readonly string[] Flags = ["phrase-after-answer", SelfVerificationDetector.OutsideThinkFlag, "extra-blocks", "text-after-answer"];

    public PluginOutputs Outputs { get; } = new(
    [
        new MetricInfo("format_hacking_rate", "share of completions with any format hack") { Label = "format hack", HigherIsBetter = false },
        .. Flags.Select(f => new MetricInfo($"format_hack/{f}_rate", $"share of completions flagged {f}") { HigherIsBetter = false }),
    ])
    {
        FailureModes = [new FailureModeInfo("format hacking", "format_hacking_rate", FailureRule.SustainedRate, 0.1, "strict-format", "reward",
            "verification phrases after </answer> or outside <think>, extra blocks, text after the answer") { ExampleFlag = SelfVerificationDetector.OutsideThinkFlag }],
    };

    public DetectorReport Detect(DetectorInput step)
    {
        var findings = step.Completions.Select(c => Examine(c.Text, Readings.Of(c), c.Prompt)).ToArray();
        var aggregates = Flags.ToDictionary(f => $"format_hack/{f}_rate", f => FindingRates.Flagged(findings, f));
        aggregates["format_hacking_rate"] = FindingRates.Share(findings, x => x.Flags.Count > 0);
        return new DetectorReport(findings, aggregates);
    }

    public static CompletionFindings Examine(string text, CompletionReading reading, string prompt)
    {
        var answerBlockEnd = reading.Answer is { Format: "tags" } answer ? answer.Markup.End : -1;
        // Re-checks by phrase, and by a result derived again (in any language), each where it begins.
        var rechecks = VerificationPhrases.In(text).Select(m => new FindingSpan(m.Index, m.Length, m.Name))
            .Concat(Rederivation.In(text, reading.Answer?.Text, prompt).Select(r =>
            {
                var start = r.RecheckStart(text);
                return new FindingSpan(start, r.End - start, SelfVerificationDetector.RederivedFlag);
            }))
            .ToArray();
        var spans = SelfVerificationDetector.HasThinkLayout(reading) ? rechecks.Where(m => !Readings.InReasoning(reading, m.Start)).OrderBy(m => m.Start).ToArray() : [];
        var flags = new List<string>();
        if (answerBlockEnd >= 0 && rechecks.Any(m => m.Start >= answerBlockEnd)) flags.Add("phrase-after-answer");
        if (spans.Length > 0) flags.Add(SelfVerificationDetector.OutsideThinkFlag);
        if (text.AsSpan().Count("<think>") > 1 || text.AsSpan().Count("<answer>") > 1) flags.Add("extra-blocks");
        if (answerBlockEnd >= 0 && !text.AsSpan(answerBlockEnd).IsWhiteSpace()) flags.Add("text-after-answer");
        var values = new Dictionary<string, double> { ["phrases_outside_think"] = spans.Length };
        return new CompletionFindings(flags, values) { Spans = spans };
    }
}
