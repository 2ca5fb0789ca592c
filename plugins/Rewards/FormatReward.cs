using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// R1-Zero's format reward: <c>value</c> (0.1) when the completion has the structure its template asks for: a closed
/// think block where the layout requires one (R1-Zero's) or where the completion opens one; elsewhere, in a completion
/// without think tags, a final answer in the experiment's answer format.
/// </summary>
[Plugin("format", Description = "0.1 for the layout the template asks for: a closed <think> block (R1), or else an answer in the answer format")]
public sealed class FormatReward(PluginSettings settings) : IReward
{
    private readonly double _value = settings.GetDouble("value", 0.1);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("format", group.Completions.Select((_, i) => Formatted(Readings.Of(group, i)) ? _value : 0.0).ToArray())];

    private static bool Formatted(CompletionReading reading) =>
        reading.Think == ThinkBlock.Closed || (!reading.ThinkRequired && reading.Think == ThinkBlock.None && reading.Answer is not null);
}
