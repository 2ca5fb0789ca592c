namespace Harness.Diagnostics;

/// <summary>How the doctor decides that a mode is present.</summary>
public enum FailureRule
{
    /// <summary>The metric's moving average stays at or above the threshold over the run's last quarter.</summary>
    SustainedRate,

    /// <summary>The metric's moving average rose to a peak of at least the threshold, then fell to half of it or less by the last quarter.</summary>
    FallFromPeak,
}

/// <summary>
/// One failure mode the doctor looks for: the per-step metric that measures it, the detector that logs it,
/// the rule and threshold that say it is present, the completion flag that marks an example, and the fix.
/// </summary>
public sealed record FailureMode(
    string Name,
    string Metric,
    string Detector,
    FailureRule Rule,
    double Threshold,
    string? Flag,
    string Fix,
    string FixKind,
    string Meaning);

/// <summary>The five failure modes of R1-Zero-style training (BRIEF Section 2), each with its detector and fix plugin.</summary>
public static class FailureModes
{
    public static IReadOnlyList<FailureMode> All { get; } =
    [
        new("ritual verification", "ritual_rate", "ritual-verification", FailureRule.SustainedRate, 0.2, "ritual", "overlap-penalty", "reward",
            "re-checks that restate the reasoning before them and never change the outcome"),
        new("language mixing", "language_mixing_rate", "language-mixing", FailureRule.SustainedRate, 0.1, "mixed-language", "language-match", "reward",
            "re-checks written partly outside the target language"),
        new("repetition loops", "repetition_rate", "repetition", FailureRule.SustainedRate, 0.1, "repetition-loop", "repetition-penalty", "sampling fix",
            "repeated n-grams, or re-checks that run to the token limit (alternative fix: the ngram-repetition reward)"),
        new("format hacking", "format_hacking_rate", "format-hacking", FailureRule.SustainedRate, 0.1, "phrase-outside-think", "strict-format", "reward",
            "verification phrases after </answer> or outside <think>, extra blocks, text after the answer"),
        new("premature plateau", "self_verify_rate", "self-verification", FailureRule.FallFromPeak, 0.2, null, "plateau-guard", "fix strategy",
            "self-verification rose, then fell back by half or more"),
    ];
}
