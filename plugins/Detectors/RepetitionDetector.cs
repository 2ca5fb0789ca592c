using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Detectors;

/// <summary>
/// Repetition loops. Per completion: <c>most_repeats</c> (the most times one word <c>n</c>-gram occurs, n = 4)
/// and <c>repeated_share</c> (the share of n-grams that repeat an earlier one); the flag <c>repetition-loop</c>
/// when an n-gram occurs <c>min_repeats</c> (3) times or more, and <c>recheck-hit-limit</c> when a completion
/// with a verification phrase ran to the token limit. Per step: <c>repetition_rate</c> (share with either
/// flag), <c>repetition/loop_rate</c>, <c>repetition/recheck_hit_limit_rate</c> and
/// <c>repetition/repeated_share_mean</c>.
/// </summary>
[Plugin("repetition", Description = "repeated word n-grams and re-checks that run to the token limit")]
public sealed class RepetitionDetector(PluginSettings settings) : IDetector, IDeclaresOutputs
{
    public const string LoopFlag = "repetition-loop";
    public const string HitLimitFlag = "recheck-hit-limit";
    private readonly int _n = Math.Max(1, settings.GetInt("n", 4));
    private readonly int _minRepeats = Math.Max(2, settings.GetInt("min_repeats", 3));

    public PluginOutputs Outputs { get; } = new(
    [
        new MetricInfo("repetition_rate", "share of completions with a repetition loop or a re-check cut at the token limit") { Label = "repetition", HigherIsBetter = false },
        new MetricInfo("repetition/loop_rate", "share of completions that repeat a word n-gram in a loop") { HigherIsBetter = false },
        new MetricInfo("repetition/recheck_hit_limit_rate", "share of completions whose re-check runs to the token limit") { HigherIsBetter = false },
        new MetricInfo("repetition/repeated_share_mean", "mean share of repeated word n-grams") { HigherIsBetter = false },
    ])
    {
        FailureModes = [new FailureModeInfo("repetition loops", "repetition_rate", FailureRule.SustainedRate, 0.1, "repetition-penalty", "sampling fix",
            "repeated n-grams, or re-checks that run to the token limit (alternative fix: the ngram-repetition reward)") { ExampleFlag = LoopFlag }],
    };

    public DetectorReport Detect(DetectorInput step)
    {
        var findings = step.Completions.Select(Examine).ToArray();
        return new DetectorReport(findings, new Dictionary<string, double>
        {
            ["repetition_rate"] = FindingRates.Share(findings, f => f.Flags.Count > 0),
            ["repetition/loop_rate"] = FindingRates.Flagged(findings, LoopFlag),
            ["repetition/recheck_hit_limit_rate"] = FindingRates.Flagged(findings, HitLimitFlag),
            ["repetition/repeated_share_mean"] = FindingRates.Mean(findings, "repeated_share"),
        });
    }

    private CompletionFindings Examine(ScoredCompletion completion)
    {
        var repetition = NGramRepetition.Of(completion.Text, _n);
        var flags = new List<string>();
        if (repetition.MostRepeats >= _minRepeats) flags.Add(LoopFlag);
        if (completion.Truncated && VerificationPhase.Find(completion.Text, Readings.Of(completion), completion.Prompt) is not null) flags.Add(HitLimitFlag);
        var values = new Dictionary<string, double> { ["most_repeats"] = repetition.MostRepeats, ["repeated_share"] = repetition.RepeatedShare };
        return new CompletionFindings(flags, values);
    }
}
