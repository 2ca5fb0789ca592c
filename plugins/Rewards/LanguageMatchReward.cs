using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// The fix for language mixing, DeepSeek-R1's language-consistency reward: <c>value</c> × the share of the reasoning's
/// words (the host's reading: the think block, or the text before the answer; the whole completion when it has none) in
/// the target language: the prompt's (<see cref="TextLanguage"/>). Reasoning without words scores full value.
/// </summary>
[Plugin("language-match", Description = "value x the share of the reasoning's words in the prompt's language (DeepSeek-R1's language consistency)")]
public sealed class LanguageMatchReward(PluginSettings settings) : IReward
{
    private readonly double _value = settings.GetDouble("value", 1.0);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("language_match", group.Completions.Select((c, i) => _value * TextLanguage.Share(Reasoning(c, Readings.Of(group, i)), TextLanguage.OfPrompt(group.Prompt))).ToArray())];

    private static string Reasoning(string completion, CompletionReading reading) =>
        reading.Reasoning is null ? completion : Readings.Reasoning(completion, reading);
}
