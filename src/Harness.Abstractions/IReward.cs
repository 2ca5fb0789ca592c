namespace Harness.Abstractions;

/// <summary>
/// A reward: scores the completions of one prompt group. Each named term it produces is kept and logged on
/// its own; the host combines terms into the scalar reward by the weights in the experiment config.
/// </summary>
public interface IReward
{
    /// <summary>Scores every completion of one prompt group.</summary>
    /// <param name="group">The prompt, the task's data (such as the gold answer) and the completions.</param>
    /// <returns>One or more named terms, each with exactly one finite value per completion, in order.</returns>
    IReadOnlyList<RewardTerm> Score(PromptGroup group);
}

/// <summary>The completions sampled for one prompt, with the task's data for that prompt.</summary>
/// <param name="Prompt">The prompt text the completions answer.</param>
/// <param name="Task">The task's columns for this prompt, e.g. <c>"gold"</c> and <c>"difficulty"</c>.</param>
/// <param name="Completions">The completion texts, in sampling order.</param>
public sealed record PromptGroup(string Prompt, IReadOnlyDictionary<string, string> Task, IReadOnlyList<string> Completions)
{
    /// <summary>
    /// Each completion as the host read it with the experiment's answer format (contract 1.6), in the order of
    /// <see cref="Completions"/>: its final answer and where its reasoning sits.
    /// </summary>
    public IReadOnlyList<CompletionReading> Readings { get; init; } = [];
}

/// <summary>One named reward term: a value for each completion of a group.</summary>
/// <param name="Name">The term's name, logged as <c>reward/&lt;name&gt;_mean</c>.</param>
/// <param name="Values">One value per completion, in the group's order.</param>
public sealed record RewardTerm(string Name, IReadOnlyList<double> Values);
