using Harness.Core;
using Harness.Experiments;

namespace Harness.Tasks;

/// <summary>
/// Tasks from a file (JSON Lines or Parquet, in any <see cref="DatasetLayout"/>: ours, GSM8K, MATH/NuminaMath, verl,
/// TRL). The held-out sets: the rows of <c>tasks.evalFile</c>, or a seeded <c>tasks.evalFraction</c> of the file's rows,
/// else <c>tasks.evalSize</c> seeded picks among the rows labelled easy and hard (the unlabelled rows standing for hard
/// when none is labelled, at most half of them). Held-out rows labelled easy make the easy set, the others (hard or unlabelled) the hard set,
/// each at most <c>tasks.evalSize</c>; every other row of the file is a training prompt.
/// </summary>
public static class TaskFile
{
    public static TaskSet Create(TasksConfig config, long seed)
    {
        var items = DatasetItems.Read(config.File, config.Format);
        var shuffled = items.ToArray();
        Seeds.Random(seed, 0, "task-file").Shuffle(shuffled);
        IReadOnlyList<TaskItem> easy, hard;
        if (config.EvalFile.Length > 0 || config.EvalFraction > 0)
        {
            var heldOut = config.EvalFile.Length > 0
                ? DatasetItems.Read(config.EvalFile, config.Format).ToArray()
                : shuffled[..(int)Math.Round(config.EvalFraction * shuffled.Length)];
            if (config.EvalFile.Length > 0) Seeds.Random(seed, 0, "eval-file").Shuffle(heldOut);
            easy = [.. heldOut.Where(t => t.Difficulty == "easy").Take(config.EvalSize)];
            hard = [.. heldOut.Where(t => t.Difficulty is "hard" or "").Take(config.EvalSize)];
            if (config.EvalFile.Length == 0) items = [.. shuffled[heldOut.Length..]];
        }
        else
        {
            var labelledHard = shuffled.Any(t => t.Difficulty == "hard");
            easy = [.. shuffled.Where(t => t.Difficulty == "easy").Take(config.EvalSize)];
            // Unlabelled rows stand for hard ones only while at least as many are left to train on.
            hard = [.. shuffled.Where(t => t.Difficulty == (labelledHard ? "hard" : "")).Take(labelledHard ? config.EvalSize : Math.Min(config.EvalSize, shuffled.Length / 2))];
        }
        var heldOutSet = easy.Concat(hard).ToHashSet();
        var training = items.Where(t => !heldOutSet.Contains(t)).ToArray();
        if (training.Length == 0)
            throw new HarnessException($"{config.File}: every task is held out for evaluation; add tasks or lower tasks.evalSize ({config.EvalSize}) or tasks.evalFraction ({config.EvalFraction}).");
        return new TaskSet(easy, hard, random => training[random.Next(training.Length)], seed);
    }

    /// <summary>The problems of a file in the layout its content shows.</summary>
    public static IReadOnlyList<TaskItem> Load(string file) => DatasetItems.Read(file, DatasetLayout.Auto);
}
