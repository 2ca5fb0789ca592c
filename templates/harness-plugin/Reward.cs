using Harness.Abstractions;

namespace PluginNamespace1;

/// <summary>
/// A reward: <c>value</c> for a completion whose last &lt;answer&gt; block holds exactly the task's gold answer,
/// 0 otherwise. Experiment configs name it "harness-plugin-1"; its term is logged as reward/harness-plugin-1_mean.
/// </summary>
[Plugin("harness-plugin-1", Description = "value when the last <answer> holds exactly the gold answer")]
public sealed class PluginClass1(PluginSettings settings) : IReward
{
    // Settings come from the experiment config ("settings": { "value": "0.5" }) as text; PluginSettings
    // parses them and names this plugin and the key when one is malformed.
    private readonly double _value = settings.GetDouble("value", 1.0);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group)
    {
        var gold = group.Task.TryGetValue("gold", out var g) ? g.Trim() : "";
        var values = group.Completions.Select(c => LastAnswer(c) == gold ? _value : 0.0).ToArray();
        // Exactly one finite value per completion, in order: the harness stops the run otherwise.
        return [new RewardTerm("harness-plugin-1", values)];
    }

    private static string? LastAnswer(string completion)
    {
        var end = completion.LastIndexOf("</answer>", StringComparison.Ordinal);
        var start = end < 0 ? -1 : completion.LastIndexOf("<answer>", end, StringComparison.Ordinal);
        return start < 0 ? null : completion[(start + "<answer>".Length)..end].Trim();
    }
}
