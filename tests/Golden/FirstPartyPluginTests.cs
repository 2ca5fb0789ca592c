using Harness.Abstractions;
using Harness.Plugins.Detectors;
using Harness.Plugins.Rewards;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>The R1-Zero rewards and the detectors on the seed's comparator shapes.</summary>
public class FirstPartyPluginTests
{
    private static readonly string[] Texts = ComparatorCompletions.All.Select(c => c.Text).ToArray();

    private static PromptGroup Group => Reading.Group(ComparatorCompletions.Prompt, ComparatorCompletions.Task, Texts);

    [Fact]
    public void Rewards_and_detectors_on_the_comparator_shapes()
    {
        var accuracy = new AccuracyReward(new PluginSettings("accuracy")).Score(Group).Single();
        var format = new FormatReward(new PluginSettings("format")).Score(Group).Single();
        var input = Reading.Input(0, Texts.Select((t, i) => new ScoredCompletion(
            0, ComparatorCompletions.Prompt, ComparatorCompletions.Task, t, t.Length, false,
            accuracy.Values[i] + format.Values[i],
            new Dictionary<string, double> { ["accuracy"] = accuracy.Values[i], ["format"] = format.Values[i] })));
        var verification = new SelfVerificationDetector().Detect(input);
        var length = new LengthDetector().Detect(input);

        // The seed's reading: only the short answer and the real re-check are right; the ritual re-check
        // says the phrases but keeps the wrong answer.
        Assert.Equal([0, 0, 1, 1, 0], accuracy.Values);
        Assert.Equal([0, 0.1, 0.1, 0.1, 0.1], format.Values);
        Assert.Equal([false, false, false, true, true],
            verification.Completions.Select(c => c.Flags.Contains(SelfVerificationDetector.InThinkFlag)));
        Assert.Equal(0.4, verification.Aggregates["self_verify_rate"], 12);

        Snapshot.Match(new
        {
            completions = ComparatorCompletions.All.Select((c, i) => new
            {
                shape = c.Shape,
                accuracy = accuracy.Values[i],
                format = format.Values[i],
                flags = verification.Completions[i].Flags,
                phrases = verification.Completions[i].Values,
                length = length.Completions[i].Values,
            }),
            verification = verification.Aggregates,
            length = length.Aggregates,
        });
    }

    [Theory]
    [InlineData("<think>x</think><answer>43</answer>", "43", true)]
    [InlineData("<answer>043</answer>", "43", true)]
    [InlineData("<answer> 43.0 </answer>", "43", true)]
    [InlineData("<answer>+43</answer>", "43", true)]
    [InlineData("<answer>1,043</answer>", "1043", true)]
    [InlineData("<answer>$43.</answer>", "43", true)]
    [InlineData("<answer>43</answer> then <answer>44</answer>", "43", false)]
    [InlineData("<answer>44</answer> then <answer>43</answer>", "43", true)]
    [InlineData("the answer is 43", "43", false)]
    [InlineData("<answer>4 3</answer>", "43", false)]
    [InlineData("<answer>Paris</answer>", "paris", true)]
    public void Accuracy_reads_the_last_answer_block(string completion, string gold, bool correct)
    {
        var reward = new AccuracyReward(new PluginSettings("accuracy"));
        var term = reward.Score(Reading.Group("p", new Dictionary<string, string> { ["gold"] = gold }, [completion])).Single();
        Assert.Equal(correct ? 1.0 : 0.0, term.Values[0]);
    }

    [Fact]
    public void Accuracy_names_a_missing_gold_column()
    {
        var reward = new AccuracyReward(new PluginSettings("accuracy"));
        var e = Assert.Throws<InvalidOperationException>(() => reward.Score(Reading.Group("What is 1 + 1?", new Dictionary<string, string>(), ["2"])));
        Assert.Equal("Reward 'accuracy': the task has no 'gold' column for prompt 'What is 1 + 1?'.", e.Message);
    }

    [Fact]
    public void Phrases_outside_the_think_block_are_told_apart()
    {
        var findings = Examine("<think>17 + 26 = 43</think><answer>43</answer> Wait, let me re-check.");

        Assert.DoesNotContain(SelfVerificationDetector.InThinkFlag, findings.Flags);
        Assert.Contains(SelfVerificationDetector.OutsideThinkFlag, findings.Flags);
        Assert.Equal(1, findings.Values["wait:outside_think"]);
        Assert.Equal(0, findings.Values["recheck:in_think"]);
    }

    [Theory]
    [InlineData("Wait.", "wait")]
    [InlineData("let me recheck", "recheck")]
    [InlineData("Let me double-check that", "recheck")]
    [InlineData("Actually, no", "actually")]
    [InlineData("I made a mistake here", "mistake")]
    [InlineData("Method 2: count up", "method-2")]
    [InlineData("Alternatively we add tens first", "alternatively")]
    [InlineData("Let me re-evaluate", "rethink")]
    [InlineData("To verify, subtract", "verify")]
    public void Each_phrase_is_recognised(string phrase, string name)
    {
        var findings = Examine($"<think>{phrase}</think><answer>1</answer>");
        Assert.Equal(1, findings.Values[$"{name}:in_think"]);
    }

    [Fact]
    public void Words_that_merely_contain_a_phrase_are_not_matched()
    {
        var findings = Examine("<think>The waiter checks the awaited bill</think>");
        Assert.Empty(findings.Flags);
    }

    private static CompletionFindings Examine(string text) => SelfVerificationDetector.Examine(text, Reading.R1.Read(text), "What is 58 + 67?");
}
