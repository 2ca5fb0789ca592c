using System.Text.Json;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>The GRPO variants inside a real training run (the shape bandit): what each adds to the step and its metrics.</summary>
[Collection(TorchCollection.Name)]
public class VariantRunTests
{
    private static JsonElement[] Run(TempDirectory dir, params string[] overrides) => Run("shape-bandit.json", dir, ["run.steps=8", "run.evalEvery=8", .. overrides]);

    private static JsonElement[] Run(string experiment, TempDirectory dir, string[] overrides)
    {
        var run = Path.Combine(dir.Path, "run");
        var result = HarnessRunner.Run(["run", Path.Combine(RepoRoot.Path, "experiments", experiment), "--out", run, .. overrides.SelectMany(o => new[] { "--set", o })]);
        Assert.True(result.ExitCode == 0, result.Error);
        return [.. File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    [Fact]
    public void Dynamic_sampling_trains_only_on_groups_that_teach_and_says_how_many_prompts_it_drew()
    {
        using var dir = new TempDirectory();
        var steps = Run(dir, "grpo.dynamicSampling=true", "grpo.maxSamplingRounds=3");
        foreach (var m in steps)
        {
            var rounds = m.GetProperty("sampling_rounds").GetDouble();
            Assert.InRange(rounds, 1, 3);
            Assert.Equal(8 * rounds, m.GetProperty("prompts_drawn").GetDouble());
            // A full step holds no group whose rewards are all equal; only the last draw may fall short.
            if (rounds < 3) Assert.Equal(0, m.GetProperty("frac_reward_zero_std").GetDouble());
        }
        Assert.Contains(steps, m => m.GetProperty("sampling_rounds").GetDouble() > 1);
        using var plain = new TempDirectory();
        Assert.All(Run(plain), m => Assert.False(m.TryGetProperty("sampling_rounds", out _)));
    }

    [Fact]
    public void Overlong_shaping_adds_its_term_to_the_reward_and_the_lengths_split_by_correctness()
    {
        using var dir = new TempDirectory();
        var steps = Run(dir, "grpo.overlongBuffer=60", "grpo.overlongPenalty=0.5");
        Assert.All(steps, m => Assert.InRange(m.GetProperty("reward/overlong_mean").GetDouble(), -0.5, 0));
        Assert.Contains(steps, m => m.GetProperty("reward/overlong_mean").GetDouble() < 0);
        foreach (var m in steps)
        {
            var sum = m.GetProperty("reward/accuracy_mean").GetDouble() + m.GetProperty("reward/format_mean").GetDouble() + m.GetProperty("reward/overlong_mean").GetDouble();
            Assert.Equal(sum, m.GetProperty("reward_mean").GetDouble(), 9);
            var (correct, incorrect) = (m.GetProperty("completion_length_correct_mean"), m.GetProperty("completion_length_incorrect_mean"));
            var mean = m.GetProperty("completion_length_mean").GetDouble();
            if (correct.ValueKind == JsonValueKind.Number && incorrect.ValueKind == JsonValueKind.Number)
                Assert.InRange(mean, Math.Min(correct.GetDouble(), incorrect.GetDouble()) - 1e-9, Math.Max(correct.GetDouble(), incorrect.GetDouble()) + 1e-9);
        }
    }

    // Two epochs and a narrow clip, so the second epoch's ratios leave the trust region, where the surrogates differ.
    private static readonly string[] Shared = ["grpo.epochs=2", "grpo.clipLow=0.001", "grpo.clipHigh=0.001"];

    // The GRPO run every variant is set against, run once for all of them.
    private static readonly Lazy<JsonElement[]> Baseline = new(() =>
    {
        using var dir = new TempDirectory();
        return Run(dir, Shared);
    });

    [Theory]
    [InlineData("grpo.policyLoss=gspo", "grpo.sequenceClipLow=0.2", "grpo.sequenceClipHigh=0.2")]
    [InlineData("grpo.policyLoss=cispo")]
    [InlineData("grpo.advantageEstimator=rloo")]
    [InlineData("grpo.advantageEstimator=reinforce-plus-plus-baseline")]
    public void Each_variant_trains_and_moves_the_policy_differently_from_grpo(params string[] variant)
    {
        using var other = new TempDirectory();
        var baseline = Baseline.Value;
        var variantRun = Run(other, [.. Shared, .. variant]);
        Assert.All(variantRun, m => Assert.True(double.IsFinite(m.GetProperty("loss").GetDouble())));
        // The first step samples from the same weights; the update differs, so later steps do.
        Assert.Equal(baseline[0].GetProperty("reward_mean").GetDouble(), variantRun[0].GetProperty("reward_mean").GetDouble());
        Assert.NotEqual(baseline.Select(m => m.GetProperty("grad_norm").GetDouble()), variantRun.Select(m => m.GetProperty("grad_norm").GetDouble()));
    }

    [Fact]
    public void Truncation_masking_leaves_truncated_completions_out_of_the_update()
    {
        // The main job's base with a limit that cuts some completions short, a few steps.
        string[] shared = ["run.steps=3", "run.evalEvery=100", "tasks.evalSize=4", "run.probeSamples=0", "sampling.maxNewTokens=70",
            $"policy.settings.weights={Path.Combine(RepoRoot.Path, "experiments", "base", "aha-addition.bin")}"];
        using var plain = new TempDirectory();
        using var masked = new TempDirectory();
        var baseline = Run("aha-addition.json", plain, shared);
        var cut = Run("aha-addition.json", masked, [.. shared, "grpo.maskTruncated=true"]);
        Assert.Contains(baseline, m => m.GetProperty("clipped_ratio").GetDouble() is > 0 and < 1);
        Assert.Equal(baseline[0].GetProperty("reward_mean").GetDouble(), cut[0].GetProperty("reward_mean").GetDouble());
        Assert.NotEqual(baseline[0].GetProperty("grad_norm").GetDouble(), cut[0].GetProperty("grad_norm").GetDouble());
    }
}
