using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>R1-Zero's format reward: a small bonus when the completion has a closed think block.</summary>
[Plugin("format", Description = "0.1 when a <think>...</think> block is present")]
public sealed class FormatReward(PluginSettings settings) : IReward
{
    private readonly double _value = settings.GetDouble("value", 0.1);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("format", group.Completions.Select(c => CompletionParts.Parse(c).HasThink ? _value : 0.0).ToArray())];
}
