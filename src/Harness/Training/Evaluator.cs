using Harness.Abstractions;
using Harness.Experiments;
using Harness.Tasks;

namespace Harness.Training;

/// <summary>
/// pass@1 on a held-out set: one greedy completion per prompt, counted correct when the reward term
/// <c>run.passTerm</c> is positive. Greedy decoding makes it a property of the weights, not of a seed.
/// </summary>
public sealed class Evaluator(IPolicy policy, RewardScorer scorer, string passTerm, int maxNewTokens)
{
    public double PassAtOne(IReadOnlyList<TaskItem> tasks)
    {
        if (tasks.Count == 0) return double.NaN;
        var groups = policy.Sample(new SamplingRequest([.. tasks.Select(t => t.Prompt)], 1, maxNewTokens, 0, 1, 0));
        var scored = scorer.Score(tasks, groups);
        if (!scored.Terms.TryGetValue(passTerm, out var term))
            throw new HarnessException($"run.passTerm is '{passTerm}', but the rewards return only: {string.Join(", ", scored.Terms.Keys)}.");
        return term.Count(values => values[0] > 0) / (double)tasks.Count;
    }
}
