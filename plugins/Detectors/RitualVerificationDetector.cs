using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Detectors;

/// <summary>
/// Ritual verification: a re-check that changes nothing. Per completion with a verification phrase, an
/// ablation tells whether the re-check changed the outcome, the <c>outcome_term</c> (accuracy): the answer the text
/// before the phrase reached (in the experiment's answer format, else its last value) takes the final answer's place
/// and the run's rewards score it again; and the content overlap tells whether the phase only restates what came before. Flag <c>ritual</c> when the
/// outcome is unchanged and the overlap is at least <c>min_overlap</c> (0.5); <c>recheck-changed-outcome</c>
/// when the re-check turned the outcome. Per step: <c>ritual_rate</c> (share of completions flagged ritual),
/// <c>ritual/overlap_mean</c> and <c>ritual/outcome_changed_rate</c> over the completions that re-check.
/// Without the run's rewards (no <see cref="DetectorInput.Rescore"/>) the overlap alone decides.
/// </summary>
[Plugin("ritual-verification", Description = "re-checks that restate (overlap) and never change the outcome (ablation re-score)")]
public sealed class RitualVerificationDetector(PluginSettings settings) : IDetector, IDeclaresOutputs
{
    public const string RitualFlag = "ritual";
    public const string ChangedFlag = "recheck-changed-outcome";
    private readonly double _minOverlap = settings.GetDouble("min_overlap", 0.5);
    private readonly string _outcomeTerm = settings.GetString("outcome_term", "accuracy");

    public PluginOutputs Outputs { get; } = new(
    [
        new MetricInfo("ritual_rate", "share of completions whose re-check restates the reasoning and changes no outcome") { Label = "ritual", HigherIsBetter = false },
        new MetricInfo("ritual/overlap_mean", "mean content overlap of re-checks with the reasoning before them") { HigherIsBetter = false },
        new MetricInfo("ritual/outcome_changed_rate", "share of re-checks whose removal changes the reward's outcome term") { HigherIsBetter = true },
    ])
    {
        FailureModes = [new FailureModeInfo("ritual verification", "ritual_rate", FailureRule.SustainedRate, 0.2, "overlap-penalty", "reward",
            "re-checks that restate the reasoning before them and never change the outcome") { ExampleFlag = RitualFlag }],
    };

    public DetectorReport Detect(DetectorInput step)
    {
        var findings = step.Completions.Select((c, i) => Examine(c, VerificationPhase.Find(c.Text, Readings.Of(c), c.Prompt),
            step.Rescore is null || step.AnswerReached is null ? null : text => step.Rescore(i, text), step.AnswerReached)).ToArray();
        var verifying = findings.Where(f => f.Values.ContainsKey("overlap")).ToArray();
        var aggregates = new Dictionary<string, double>
        {
            ["ritual_rate"] = FindingRates.Flagged(findings, RitualFlag),
            ["ritual/overlap_mean"] = FindingRates.Mean(verifying, "overlap"),
        };
        if (step.Rescore is not null)
            aggregates["ritual/outcome_changed_rate"] = FindingRates.Flagged(verifying, ChangedFlag);
        return new DetectorReport(findings, aggregates);
    }

    private CompletionFindings Examine(ScoredCompletion completion, VerificationPhase? phase, Func<string, IReadOnlyDictionary<string, double>>? rescore,
        Func<string, FinalAnswer?>? answerReached)
    {
        if (phase is null) return new CompletionFindings([], new Dictionary<string, double>());
        var overlap = phase.Overlap();
        var values = new Dictionary<string, double> { ["overlap"] = overlap };
        var changed = false;
        if (rescore is not null && completion.Terms.TryGetValue(_outcomeTerm, out var outcome)
            && Ablated(completion.Text, phase, Readings.Of(completion), answerReached!) is { } ablatedText)
        {
            var ablated = rescore(ablatedText).GetValueOrDefault(_outcomeTerm);
            values["ablated_outcome"] = ablated;
            changed = Math.Abs(outcome - ablated) > 1e-9;
        }
        var flags = new List<string>();
        if (changed) flags.Add(ChangedFlag);
        else if (overlap >= _minOverlap) flags.Add(RitualFlag);
        return new CompletionFindings(flags, values) { Spans = [new FindingSpan(phase.PhraseStart, phase.End - phase.PhraseStart, "verification-phase")] };
    }

    /// <summary>
    /// The completion with its final answer replaced by the answer the text before the re-check reached, or null when
    /// either is missing (then the overlap alone decides).
    /// </summary>
    private static string? Ablated(string text, VerificationPhase phase, CompletionReading reading, Func<string, FinalAnswer?> answerReached) =>
        reading.Answer is { } final && answerReached(text[..phase.PhraseStart]) is { } before
            ? string.Concat(text.AsSpan(0, final.Span.Start), before.Text, text.AsSpan(final.Span.End))
            : null;
}
