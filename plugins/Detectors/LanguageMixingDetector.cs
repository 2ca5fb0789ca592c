using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Detectors;

/// <summary>
/// Language mixing: a re-check written in another language or script than the prompt's. Per completion with a re-check
/// (a verification phrase, or a result derived again: <see cref="VerificationPhase"/>), <c>foreign_share</c> (the share
/// of the re-check's words not in the prompt's language, <see cref="TextLanguage"/>) and the flag <c>mixed-language</c>
/// when it reaches <c>min_foreign_share</c> (0.2) over at least <c>min_words</c> (2) words. Names, loanwords, LaTeX and
/// numbers never count as another language. Per step: <c>language_mixing_rate</c> (share of completions flagged) and
/// <c>language/foreign_share_mean</c> over the completions that re-check.
/// </summary>
[Plugin("language-mixing", Description = "share of a re-check's words outside the prompt's language; flags mixed-language re-checks")]
public sealed class LanguageMixingDetector(PluginSettings settings) : IDetector, IDeclaresOutputs
{
    public const string MixedFlag = "mixed-language";
    private readonly double _minForeignShare = settings.GetDouble("min_foreign_share", 0.2);
    private readonly int _minWords = settings.GetInt("min_words", 2);

    public PluginOutputs Outputs { get; } = new(
    [
        new MetricInfo("language_mixing_rate", "share of completions whose re-check is partly outside the target language") { Label = "mixing", HigherIsBetter = false },
        new MetricInfo("language/foreign_share_mean", "mean share of foreign words in re-checks") { HigherIsBetter = false },
    ])
    {
        FailureModes = [new FailureModeInfo("language mixing", "language_mixing_rate", FailureRule.SustainedRate, 0.1, "language-match", "reward",
            "re-checks written partly outside the target language") { ExampleFlag = MixedFlag }],
    };

    public DetectorReport Detect(DetectorInput step)
    {
        var findings = step.Completions.Select(c => Examine(c.Text, Readings.Of(c), c.Prompt)).ToArray();
        var verifying = findings.Where(f => f.Values.ContainsKey("foreign_share")).ToArray();
        return new DetectorReport(findings, new Dictionary<string, double>
        {
            ["language_mixing_rate"] = FindingRates.Flagged(findings, MixedFlag),
            ["language/foreign_share_mean"] = FindingRates.Mean(verifying, "foreign_share"),
        });
    }

    private CompletionFindings Examine(string text, CompletionReading reading, string prompt)
    {
        if (VerificationPhase.Find(text, reading, prompt) is not { } phase) return new CompletionFindings([], new Dictionary<string, double>());
        var (words, foreign) = TextLanguage.Foreign(text.AsSpan(phase.PhraseStart, phase.End - phase.PhraseStart), TextLanguage.OfPrompt(prompt));
        var share = words == 0 ? 0 : foreign / (double)words;
        var values = new Dictionary<string, double> { ["foreign_share"] = share, ["foreign_words"] = foreign };
        string[] flags = words >= _minWords && share >= _minForeignShare ? [MixedFlag] : [];
        return new CompletionFindings(flags, values) { Spans = [new FindingSpan(phase.PhraseStart, phase.End - phase.PhraseStart, "verification-phase")] };
    }
}
