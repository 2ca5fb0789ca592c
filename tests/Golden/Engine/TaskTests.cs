using System.Globalization;
using Harness.Experiments;
using Harness.Plugins.Shared;
using Harness.Tasks;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>The arithmetic generator and the JSON Lines task loader.</summary>
public class TaskTests
{
    [Theory]
    [InlineData(new long[] { 12, 34 }, 0)]
    [InlineData(new long[] { 17, 26 }, 1)]
    [InlineData(new long[] { 58, 67 }, 2)]
    [InlineData(new long[] { 999, 1 }, 3)]
    [InlineData(new long[] { 50, 87, 97 }, 2)]
    public void Carries_are_counted_column_by_column(long[] operands, int carries)
    {
        Assert.Equal(carries, ColumnAddition.Carries(operands));
        Assert.Equal(operands, ColumnAddition.Operands(ColumnAddition.Prompt(operands)));
    }

    [Fact]
    public void Held_out_sets_match_their_difficulty_and_are_never_drawn_for_training()
    {
        var config = new TasksConfig { Digits = 2, EvalSize = 40, HardMinCarries = 2 };
        var tasks = TaskSet.Create(config, seed: 5);

        Assert.Equal(40, tasks.EvalEasy.Select(t => t.Prompt).Distinct().Count());
        Assert.All(tasks.EvalEasy, t => Assert.Equal("0", t.Fields["carries"]));
        Assert.All(tasks.EvalHard, t => Assert.True(int.Parse(t.Fields["carries"], CultureInfo.InvariantCulture) >= 2));
        var heldOut = tasks.EvalEasy.Concat(tasks.EvalHard).Select(t => t.Prompt).ToHashSet();
        var training = Enumerable.Range(1, 300).SelectMany(step => tasks.TrainingBatch(step, 8)).ToArray();
        Assert.DoesNotContain(training, t => heldOut.Contains(t.Prompt));
        Assert.All(training, t => Assert.Equal(ColumnAddition.Operands(t.Prompt)!.Sum().ToString(CultureInfo.InvariantCulture), t.Gold));
        Assert.Equal(tasks.TrainingBatch(17, 8), TaskSet.Create(config, seed: 5).TrainingBatch(17, 8), new PromptComparer());
    }

    [Fact]
    public void An_impossible_carry_filter_fails_before_the_run_naming_the_fields()
    {
        var e = Assert.Throws<HarnessException>(() => TaskSet.Create(new TasksConfig { Digits = 2, MinCarries = 3 }, 1));
        Assert.Contains("tasks.minCarries/tasks.maxCarries", e.Message);
    }

    [Fact]
    public void A_task_file_gives_prompts_gold_and_held_out_sets_by_difficulty()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 30).Select(i => $$"""{"prompt": "Q{{i}}", "gold": "{{i}}", "difficulty": "{{(i % 3 == 0 ? "hard" : "easy")}}", "topic": "t"}""");
        var file = dir.File("tasks.jsonl", string.Join("\n", lines) + "\n\n");

        var tasks = TaskSet.Create(new TasksConfig { Source = TaskSource.File, File = file, EvalSize = 4 }, 1);

        Assert.Equal(4, tasks.EvalEasy.Count);
        Assert.All(tasks.EvalHard, t => Assert.Equal("hard", t.Difficulty));
        var drawn = tasks.TrainingBatch(1, 50);
        Assert.DoesNotContain(drawn, t => tasks.EvalEasy.Concat(tasks.EvalHard).Any(h => h.Prompt == t.Prompt));
        Assert.All(drawn, t => Assert.Equal("t", t.Fields["topic"]));
    }

    [Theory]
    [InlineData("{\"prompt\": \"Q\"}", "line 2: field 'gold' is missing or not a string")]
    [InlineData("{\"prompt\": \"Q\", \"gold\": ", "line 2:")]
    [InlineData("[1, 2]", "line 2: not a JSON object")]
    public void A_malformed_task_line_is_named(string badLine, string message)
    {
        using var dir = new TempDirectory();
        var file = dir.File("tasks.jsonl", "{\"prompt\": \"Q0\", \"gold\": \"0\"}\n" + badLine + "\n");
        var e = Assert.Throws<HarnessException>(() => TaskFile.Load(file));
        Assert.Contains($"Task file '{file}', {message}", e.Message);
    }

    private sealed class PromptComparer : IEqualityComparer<TaskItem>
    {
        public bool Equals(TaskItem? x, TaskItem? y) => x?.Prompt == y?.Prompt && x?.Gold == y?.Gold;
        public int GetHashCode(TaskItem obj) => obj.Prompt.GetHashCode();
    }
}
