using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// R1-Zero's accuracy reward: full value when the text inside the last answer block matches the task's
/// gold answer after numeric normalisation, zero otherwise (including when there is no answer block).
/// </summary>
[Plugin("accuracy", Description = "1.0 when the last <answer> matches the gold after numeric normalisation")]
public sealed class AccuracyReward(PluginSettings settings) : IReward
{
    private readonly string _goldColumn = settings.GetString("gold_column", "gold");
    private readonly double _value = settings.GetDouble("value", 1.0);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group)
    {
        if (!group.Task.TryGetValue(_goldColumn, out var gold))
            throw new InvalidOperationException(
                $"Reward 'accuracy': the task has no '{_goldColumn}' column for prompt '{group.Prompt}'.");
        var values = group.Completions
            .Select(c => CompletionParts.Parse(c).Answer is { } answer && AnswerNormalizer.Matches(answer, gold) ? _value : 0.0)
            .ToArray();
        return [new RewardTerm("accuracy", values)];
    }
}
