using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// A fix for repetition loops as a reward term: −<c>penalty</c> × the share of the completion's word
/// <c>n</c>-grams that repeat an earlier one, divided by <c>saturation</c> and capped at 1, so that a short
/// loop (a closing line written twice) already costs the whole penalty and a completion that never repeats
/// costs nothing.
/// </summary>
[Plugin("ngram-repetition", Description = "-penalty x min(1, share of repeated word n-grams / saturation); n = 4, saturation 0.05")]
public sealed class NGramRepetitionReward : IReward
{
    private readonly double _penalty;
    private readonly int _n;
    private readonly double _saturation;

    public NGramRepetitionReward(PluginSettings settings)
    {
        _penalty = settings.GetDouble("penalty", 1.0);
        _n = Math.Max(1, settings.GetInt("n", 4));
        _saturation = settings.GetDouble("saturation", 0.05);
        if (!(_saturation > 0) || _saturation > 1)
            throw new PluginSettingsException("ngram-repetition", "saturation", $"must be above 0 and at most 1, got {_saturation}");
    }

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("ngram_repetition", group.Completions.Select(c => 0 - _penalty * Math.Min(1, NGramRepetition.Of(c, _n).RepeatedShare / _saturation)).ToArray())];
}
