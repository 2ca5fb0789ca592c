using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// A fix for repetition loops as a reward term: <c>-penalty</c> × the share of the completion's word
/// <c>n</c>-grams that repeat an earlier one, so a completion that loops scores below one that does not.
/// </summary>
[Plugin("ngram-repetition", Description = "-penalty x the share of word n-grams (n = 4) that repeat an earlier one")]
public sealed class NGramRepetitionReward(PluginSettings settings) : IReward
{
    private readonly double _penalty = settings.GetDouble("penalty", 1.0);
    private readonly int _n = Math.Max(1, settings.GetInt("n", 4));

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("ngram_repetition", group.Completions.Select(c => -_penalty * NGramRepetition.Of(c, _n).RepeatedShare).ToArray())];
}
