using Harness.Abstractions;
using Harness.Plugins.Rewards.Equivalence;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// R1-Zero's accuracy reward: <c>value</c> (1.0) when the completion's final answer, as the experiment's answer format
/// finds it, equals the task's gold as mathematics (<see cref="MathEquivalence"/>: "1{,}000" is 1000, \frac{1}{2} is 0.5,
/// "x = 5" is 5, {1, 2} is {2, 1}, (x+1)^2 is x^2+2x+1), zero otherwise, and zero without an answer.
/// </summary>
[Plugin("accuracy", Description = "1.0 when the final answer (the experiment's answer format) equals the gold as mathematics")]
public sealed class AccuracyReward(PluginSettings settings) : IReward
{
    private readonly string _goldColumn = settings.GetString("gold_column", "gold");
    private readonly double _value = settings.GetDouble("value", 1.0);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group)
    {
        if (!group.Task.TryGetValue(_goldColumn, out var goldText))
            throw new InvalidOperationException(
                $"Reward 'accuracy': the task has no '{_goldColumn}' column for prompt '{group.Prompt}'.");
        var gold = new GoldAnswer(goldText);
        var values = new double[group.Completions.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = Readings.Of(group, i).Answer is { } answer && gold.Matches(answer.Text) ? _value : 0.0;
        return [new RewardTerm("accuracy", values)];
    }
}
