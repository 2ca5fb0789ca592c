using System.Globalization;
using Harness.Core;
using Harness.Experiments;

namespace Harness.Tasks;

/// <summary>
/// Addition problems, "What is 17 + 26?": <c>tasks.operands</c> numbers of <c>tasks.digits</c> digits each.
/// Difficulty is the number of carries: at most <c>easyMaxCarries</c> is easy, at least <c>hardMinCarries</c>
/// is hard. Training prompts are kept to <c>minCarries…maxCarries</c>.
/// </summary>
public static class ArithmeticTasks
{
    private const int MaxTries = 100_000;

    public static TaskSet Create(TasksConfig config, long seed)
    {
        var evalRandom = Seeds.Random(seed, 0, "eval-sets");
        var easy = DistinctSet(config, evalRandom, c => c <= config.EasyMaxCarries, "easy", $"at most {config.EasyMaxCarries} carries (tasks.easyMaxCarries)", []);
        var hard = DistinctSet(config, evalRandom, c => c >= config.HardMinCarries, "hard", $"at least {config.HardMinCarries} carries (tasks.hardMinCarries)", []);
        var heldOut = easy.Concat(hard).Select(t => t.Prompt).ToHashSet();
        var maxCarries = config.MaxCarries < 0 ? int.MaxValue : config.MaxCarries;
        bool Trainable(int carries) => carries >= config.MinCarries && carries <= maxCarries;
        // Fail now, not mid-run, when no training problem can satisfy the filter.
        Draw(config, Seeds.Random(seed, 0, "probe"), Trainable, heldOut, "tasks.minCarries/tasks.maxCarries");
        return new TaskSet(easy, hard, random => Draw(config, random, Trainable, heldOut, "tasks.minCarries/tasks.maxCarries"), seed);
    }

    /// <summary>A problem of the configured shape, with its carries count and difficulty label.</summary>
    public static TaskItem Item(IReadOnlyList<long> operands, TasksConfig config)
    {
        var carries = ColumnAddition.Carries(operands);
        var difficulty = carries <= config.EasyMaxCarries ? "easy" : carries >= config.HardMinCarries ? "hard" : "medium";
        var gold = operands.Sum().ToString(CultureInfo.InvariantCulture);
        return new TaskItem(ColumnAddition.Prompt(operands), gold, difficulty, new Dictionary<string, string>
        {
            ["gold"] = gold,
            ["difficulty"] = difficulty,
            ["carries"] = carries.ToString(CultureInfo.InvariantCulture),
        });
    }

    private static TaskItem[] DistinctSet(TasksConfig config, Random random, Func<int, bool> accept, string name, string rule, HashSet<string> exclude)
    {
        var items = new List<TaskItem>();
        var seen = new HashSet<string>(exclude);
        for (var tries = 0; items.Count < config.EvalSize; tries++)
        {
            if (tries > MaxTries)
                throw new HarnessException($"tasks: found only {items.Count} distinct {name} problems with {rule}; lower tasks.evalSize ({config.EvalSize}) or change the digits/operands.");
            var item = Random(config, random);
            if (accept(int.Parse(item.Fields["carries"], CultureInfo.InvariantCulture)) && seen.Add(item.Prompt)) items.Add(item);
        }
        return [.. items];
    }

    private static TaskItem Draw(TasksConfig config, Random random, Func<int, bool> accept, HashSet<string> heldOut, string fields)
    {
        for (var tries = 0; tries < MaxTries; tries++)
        {
            var item = Random(config, random);
            if (accept(int.Parse(item.Fields["carries"], CultureInfo.InvariantCulture)) && !heldOut.Contains(item.Prompt)) return item;
        }
        throw new HarnessException($"tasks: no training problem of {config.Operands} {config.Digits}-digit numbers satisfies {fields} outside the held-out sets.");
    }

    private static TaskItem Random(TasksConfig config, Random random)
    {
        var low = config.Digits == 1 ? 0 : (long)Math.Pow(10, config.Digits - 1);
        var high = (long)Math.Pow(10, config.Digits);
        return Item([.. Enumerable.Range(0, config.Operands).Select(_ => random.NextInt64(low, high))], config);
    }
}
