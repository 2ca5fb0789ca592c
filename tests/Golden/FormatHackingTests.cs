using Harness.Abstractions;
using Harness.Answers;
using Harness.Plugins.Detectors;
using Harness.Plugins.Rewards;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>Format hacking on hand-written completions: the detector's flags and the strict-format fix.</summary>
public class FormatHackingTests
{
    private static readonly Dictionary<string, string> Completions = new()
    {
        ["clean"] = "<think>58 + 67 = 125.</think><answer>125</answer>",
        ["clean re-check"] = "<think>58 + 67 = 115. Wait. units 8+7+0=15, tens 5+6+1=12. So the sum is 125.</think><answer>125</answer>",
        ["phrase after answer"] = "<think>58 + 67 = 125.</think><answer>125</answer> Wait, let me re-check: 125.",
        ["phrase before think"] = "Wait. <think>58 + 67 = 125.</think><answer>125</answer>",
        ["two answers"] = "<think>58 + 67 = 115.</think><answer>115</answer><answer>125</answer>",
        ["second think"] = "<think>58 + 67 = 115.</think><think>Actually 125.</think><answer>125</answer>",
        ["no tags"] = "58 + 67 = 125. Let me verify: 125.",
    };

    private static readonly Dictionary<string, string> Task = new() { ["gold"] = "125" };

    [Fact]
    public void Each_hack_is_flagged_and_only_the_r1_layout_earns_strict_format()
    {
        var texts = Completions.Values.ToArray();
        var report = new FormatHackingDetector().Detect(Reading.Input(1, texts.Select(t =>
            new ScoredCompletion(0, "What is 58 + 67?", Task, t, t.Length, false, 0, new Dictionary<string, double>()))));
        var strict = new StrictFormatReward(new PluginSettings("strict-format")).Score(Reading.Group("What is 58 + 67?", Task, texts)).Single();

        Assert.Equal([0.1, 0.1, 0, 0, 0, 0, 0], strict.Values);
        Assert.Empty(report.Completions[0].Flags);
        Assert.Empty(report.Completions[1].Flags);
        Assert.Equal(["phrase-after-answer", "phrase-outside-think", "text-after-answer"], report.Completions[2].Flags);
        Assert.Equal(["phrase-outside-think"], report.Completions[3].Flags);
        // Without tags or an answer under a layout that asks for a think block, the text is reasoning not yet closed.
        Assert.Empty(report.Completions[6].Flags);
        Assert.Equal(4 / 7.0, report.Aggregates["format_hacking_rate"], 12);
        Snapshot.Match(new
        {
            completions = Completions.Keys.Select((name, i) => new { name, flags = report.Completions[i].Flags, strict_format = strict.Values[i] }),
            aggregates = report.Aggregates.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
        });
    }

    [Theory]
    // Tag-less completions under a template that asks for no think block: a re-check before the answer is reasoning.
    [InlineData("optional", "58 + 67 = 115. Wait, let me re-check: 58 + 67 = 125. So \\boxed{125}.", "")]
    [InlineData("optional", "The answer is \\boxed{125}. Let me verify: 100 + 25 = 125.", "")]
    // Cut at the token limit inside its think block: the re-check is still in the reasoning.
    [InlineData("required", "<think>58 + 67 = 115. Wait, let me re-check the units", "")]
    // A template that asks for a think block and a completion without one: its re-check is out of place.
    [InlineData("required", "58 + 67 = 125. Wait, let me re-check. \\boxed{125}", "phrase-outside-think")]
    // Answer tags still close the completion: a phrase after them is a hack.
    [InlineData("optional", "<think>58 + 67 = 125.</think><answer>125</answer> Wait, let me re-check.", "phrase-after-answer,phrase-outside-think,text-after-answer")]
    public void Format_checks_judge_the_structure_the_template_asks_for(string think, string completion, string flags)
    {
        var reader = new CompletionReader(AnswerFormat.Auto, think == "required" ? ThinkLayout.Required : ThinkLayout.Optional);
        var report = new FormatHackingDetector().Detect(Reading.Input(1, [new ScoredCompletion(0, "What is 58 + 67?", Task, completion, completion.Length, true, 0, new Dictionary<string, double>())], reader));
        var verification = new SelfVerificationDetector().Detect(Reading.Input(1, [new ScoredCompletion(0, "What is 58 + 67?", Task, completion, completion.Length, true, 0, new Dictionary<string, double>())], reader));

        Assert.Equal(flags.Length == 0 ? [] : flags.Split(','), report.Completions[0].Flags);
        Assert.Equal(flags.Contains("phrase-outside-think") ? 0 : completion.Contains("Let me verify") ? 0 : 1, verification.Aggregates["self_verify_rate"]);
    }
}
