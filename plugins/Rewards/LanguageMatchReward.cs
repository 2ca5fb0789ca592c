using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// The fix for language mixing, DeepSeek-R1's language-consistency reward: <c>value</c> × the share of
/// target-language (English) words in the reasoning (the host's reading: the think block, or the text before the
/// answer), or in the whole completion when it has none. Reasoning without words scores full value.
/// </summary>
[Plugin("language-match", Description = "value x the share of English words in the reasoning (DeepSeek-R1's language consistency)")]
public sealed class LanguageMatchReward(PluginSettings settings) : IReward
{
    private readonly double _value = settings.GetDouble("value", 1.0);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("language_match", group.Completions.Select((c, i) => _value * EnglishWords.Share(Reasoning(c, Readings.Of(group, i)))).ToArray())];

    private static string Reasoning(string completion, CompletionReading reading) =>
        reading.Reasoning is null ? completion : Readings.Reasoning(completion, reading);
}
