using Harness.Core;
using Harness.Experiments;

namespace Harness.Tasks;

/// <summary>
/// An experiment's problems: a seeded stream of training prompts and two fixed held-out sets, easy and hard,
/// for pass@1. No held-out prompt is ever drawn for training.
/// </summary>
public sealed class TaskSet(IReadOnlyList<TaskItem> evalEasy, IReadOnlyList<TaskItem> evalHard, Func<Random, TaskItem> drawTraining, long seed)
{
    public IReadOnlyList<TaskItem> EvalEasy { get; } = evalEasy;

    public IReadOnlyList<TaskItem> EvalHard { get; } = evalHard;

    /// <summary>The training prompts of 1-based <paramref name="step"/>: the same for the same seed and step.</summary>
    /// <param name="round">Which draw of the step: more than 0 only when dynamic sampling draws again.</param>
    public IReadOnlyList<TaskItem> TrainingBatch(int step, int count, int round = 0)
    {
        var random = Seeds.Random(seed, step, round == 0 ? "tasks" : $"tasks-{round}");
        return [.. Enumerable.Range(0, count).Select(_ => drawTraining(random))];
    }

    public static TaskSet Create(TasksConfig config, long seed) => config.Source switch
    {
        TaskSource.Arithmetic => ArithmeticTasks.Create(config, seed),
        TaskSource.File => TaskFile.Create(config, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(config)),
    };
}
