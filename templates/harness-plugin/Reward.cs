using Harness.Abstractions;

namespace PluginNamespace1;

/// <summary>
/// A reward: <c>value</c> for a completion whose final answer, as the experiment's answer format finds it
/// (&lt;answer&gt; tags, \boxed{}, "#### N", …), is exactly the task's gold answer, 0 otherwise. Experiment configs
/// name it "harness-plugin-1"; its term is logged as reward/harness-plugin-1_mean.
/// </summary>
[Plugin("harness-plugin-1", Description = "value when the final answer is exactly the gold answer")]
public sealed class PluginClass1(PluginSettings settings) : IReward
{
    // Settings come from the experiment config ("settings": { "value": "0.5" }) as text; PluginSettings
    // parses them and names this plugin and the key when one is malformed.
    private readonly double _value = settings.GetDouble("value", 1.0);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group)
    {
        var gold = group.Task.TryGetValue("gold", out var g) ? g.Trim() : "";
        // The host has read each completion once with the experiment's answer format (contract 1.6): its final
        // answer, or null. Reading it here keeps this reward in step with every other plugin.
        var values = group.Readings.Select(r => r.Answer?.Text.Trim() == gold ? _value : 0.0).ToArray();
        // Exactly one finite value per completion, in order: the harness stops the run otherwise.
        return [new RewardTerm("harness-plugin-1", values)];
    }
}
