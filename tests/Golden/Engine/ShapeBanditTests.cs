using System.Text.Json.Nodes;
using Harness.Abstractions;
using Harness.Plugins.Policies.ShapeBandit;
using Harness.Runs;
using Harness.Tests.Golden.Fixtures;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// The seed's feedback loop on the shape bandit, with R1-Zero's rewards only: on hard prompts a real re-check
/// earns more than a direct guess and is amplified; on easy prompts it is not.
/// </summary>
[Collection(TorchCollection.Name)]
public class ShapeBanditTests
{
    private const string HardPrompt = "What is 58 + 67?"; // 2 carries
    private const string EasyPrompt = "What is 12 + 34?"; // no carry

    private static string Config(string dir, int minCarries, int maxCarries)
    {
        var path = Path.Combine(dir, $"bandit-{minCarries}-{maxCarries}.json");
        File.WriteAllText(path, new JsonObject
    {
        ["name"] = "bandit",
        ["seed"] = 3,
        ["device"] = "cpu",
        ["policy"] = new JsonObject { ["name"] = "shape-bandit" },
        ["rewards"] = new JsonArray(new JsonObject { ["name"] = "accuracy" }, new JsonObject { ["name"] = "format" }),
        ["detectors"] = new JsonArray(new JsonObject { ["name"] = "self-verification" }),
        ["grpo"] = new JsonObject { ["groupSize"] = 8, ["promptsPerStep"] = 8 },
        ["optimizer"] = new JsonObject { ["learningRate"] = 0.05 },
        ["tasks"] = new JsonObject { ["minCarries"] = minCarries, ["maxCarries"] = maxCarries, ["evalSize"] = 16 },
        ["run"] = new JsonObject { ["steps"] = 40, ["checkpointEvery"] = 40, ["evalEvery"] = 40 },
    }.ToJsonString());
        return path;
    }

    /// <summary>π(shape | prompt) of the policy saved in the run's last checkpoint.</summary>
    private static double Probability(string run, string prompt, ResponseShape shape)
    {
        var policy = new ShapeBanditPolicy(new PluginSettings("shape-bandit"));
        if (run.Length > 0) policy.Model.load(Path.Combine(Checkpoint.List(Path.Combine(run, "checkpoints"))[^1].Path, "model.bin"));
        using var _ = no_grad();
        var scores = policy.Score(new ScoringRequest([prompt], [[(int)shape]]));
        return Math.Exp(scores.LogProbs[0, 0].item<float>());
    }

    [Fact]
    public void Grpo_amplifies_the_real_recheck_on_hard_prompts_only()
    {
        using var dir = new TempDirectory();
        var hardRun = Path.Combine(dir.Path, "hard");
        var easyRun = Path.Combine(dir.Path, "easy");

        Assert.Equal(0, HarnessRunner.Run(["run", Config(dir.Path, 2, -1), "--out", hardRun]).ExitCode);
        Assert.Equal(0, HarnessRunner.Run(["run", Config(dir.Path, 0, 0), "--out", easyRun]).ExitCode);

        var initial = Probability("", HardPrompt, ResponseShape.Recheck);
        Assert.Equal(0.05, initial, 6);
        Assert.True(Probability(hardRun, HardPrompt, ResponseShape.Recheck) > 0.6, $"hard: {Probability(hardRun, HardPrompt, ResponseShape.Recheck)}");
        // The ritual re-check answers with the guess, so it gains nothing over answering directly.
        Assert.True(Probability(hardRun, HardPrompt, ResponseShape.Ritual) < 0.15);
        Assert.True(Probability(easyRun, EasyPrompt, ResponseShape.Recheck) <= initial, $"easy: {Probability(easyRun, EasyPrompt, ResponseShape.Recheck)}");

        var hardRates = RunTests.Metrics(hardRun).Select(m => m["self_verify_rate"].GetDouble()).ToArray();
        Assert.True(hardRates[^5..].Average() > hardRates[..5].Average() + 0.3, string.Join(",", hardRates));
    }

    [Fact]
    public void Shapes_render_as_r1_text_that_the_rewards_and_detectors_read()
    {
        long[] operands = [58, 67];
        Assert.Equal("<think>58 + 67 = 125.</think><answer>125</answer>", ResponseShapes.Render(ResponseShape.Direct, operands, 125, 125));
        Assert.Equal("<think>58 + 67 = 115. Wait, let me re-check: 58 + 67 = 115.</think><answer>115</answer>",
            ResponseShapes.Render(ResponseShape.Ritual, operands, 115, 125));
        Assert.Equal("<think>58 + 67 = 115. Wait, let me re-check: units 8+7+0=15, tens 5+6+1=12. So the sum is 125. The first answer was wrong.</think><answer>125</answer>",
            ResponseShapes.Render(ResponseShape.Recheck, operands, 115, 125));
    }
}
