using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// A naive shaping term that pays <c>value</c> for a verification phrase in the reasoning (the think block), whatever
/// follows it. Shipped to show what it does: it pays for the words of a re-check, not for re-checking, so
/// it breeds ritual verification (see <c>experiments/failure-modes/ritual.json</c>).
/// </summary>
[Plugin("reflection-bonus", Description = "value when a verification phrase appears in the think block (induces ritual verification)")]
public sealed class ReflectionBonusReward(PluginSettings settings) : IReward
{
    private readonly double _value = settings.GetDouble("value", 0.5);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("reflection_bonus", group.Completions.Select((c, i) => HasPhraseInReasoning(c, Readings.Of(group, i)) ? _value : 0.0).ToArray())];

    private static bool HasPhraseInReasoning(string completion, CompletionReading reading) =>
        VerificationPhrases.In(completion).Any(m => Readings.InReasoning(reading, m.Index));
}
