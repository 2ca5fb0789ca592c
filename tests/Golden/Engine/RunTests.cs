using System.Text.Json;
using Harness.Runs;
using Harness.Training;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden.Engine;

/// <summary>`harness run` and `harness resume` in-process: the run directory, reproducibility and bad input.</summary>
[Collection(TorchCollection.Name)]
public class RunTests
{

    private static (TempDirectory Dir, string Config) Experiment(int steps = 6, params string[] rewards)
    {
        var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        return (dir, dir.File("tiny.json", TinyExperiment.Json(plugins, steps, rewards)));
    }

    internal static List<Dictionary<string, JsonElement>> Metrics(string runDir) => Lines(runDir, "metrics.jsonl");

    internal static List<Dictionary<string, JsonElement>> Events(string runDir) => Lines(runDir, "events.jsonl");

    private static List<Dictionary<string, JsonElement>> Lines(string runDir, string log) =>
        [.. File.ReadLines(Path.Combine(runDir, log)).Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!)];

    internal static string WithoutTiming(IEnumerable<Dictionary<string, JsonElement>> lines) =>
        string.Join("\n", lines.Select(l => JsonSerializer.Serialize(l.Where(kv => !StepMetrics.TimingFields.Contains(kv.Key)).ToDictionary())));

    [Fact]
    public void A_run_writes_a_complete_run_directory()
    {
        var (dir, config) = Experiment();
        using var cleanup = dir;
        var run = Path.Combine(dir.Path, "run");

        var result = HarnessRunner.Run(["run", config, "--out", run]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("step 6/6", result.Error);
        var metrics = Metrics(run);
        Assert.Equal([1, 2, 3, 4, 5, 6], metrics.Select(m => m["step"].GetInt32()));
        string[] required = ["reward_mean", "reward_std", "reward/digits_mean", "reward/accuracy_mean", "completion_length_mean", "completion_length_max",
            "clipped_ratio", "frac_reward_zero_std", "frac_groups_any_correct", "kl", "clip_fraction", "entropy", "grad_norm", "step_time_s", "tokens_per_s", "self_verify_rate"];
        Assert.All(metrics, m => Assert.All(required, key => Assert.True(m.ContainsKey(key), $"step {m["step"]} lacks {key}")));
        Assert.Equal([1, 4, 6], metrics.Where(m => m.ContainsKey("pass1_hard")).Select(m => m["step"].GetInt32()));
        Assert.All(metrics, m => Assert.True(m["kl"].ValueKind == JsonValueKind.Number && m["kl"].GetDouble() >= 0));
        Assert.True(metrics[^1]["grad_norm"].GetDouble() > 0);

        var completions = File.ReadAllLines(Path.Combine(run, "completions.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(12, completions.Length);
        Assert.All(completions, c => Assert.True(c.TryGetProperty("advantage", out _) && c.GetProperty("terms").TryGetProperty("digits", out _) && c.TryGetProperty("flags", out _)));

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")));
        Assert.Equal("cpu", manifest.RootElement.GetProperty("device").GetString());
        Assert.Equal("2.10.0.0", manifest.RootElement.GetProperty("libtorch").GetString());
        var plugins = manifest.RootElement.GetProperty("plugins").EnumerateArray().ToArray();
        Assert.Contains(plugins, p => p.GetProperty("name").GetString() == "digit-share" && p.GetProperty("sha256").GetString()!.Length == 64);
        Assert.Equal(["step-000002", "step-000004", "step-000006"], Checkpoint.List(Path.Combine(run, "checkpoints")).Select(c => Path.GetFileName(c.Path)));
        Assert.True(File.Exists(Path.Combine(run, "config.json")));
        // The series detector's first verdict is announced and logged.
        var verdict = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(run, "events.jsonl")))).RootElement;
        Assert.Equal((1, "aha-moment", "too-short"), (verdict.GetProperty("step").GetInt32(), verdict.GetProperty("plugin").GetString(), verdict.GetProperty("verdict").GetString()));
        Assert.Contains("aha-moment: too-short after step 1.", result.Error);
    }

    [Fact]
    public void A_seeded_run_is_reproducible_and_its_metrics_are_pinned()
    {
        var (dir, config) = Experiment(steps: 20);
        using var cleanup = dir;
        var first = Path.Combine(dir.Path, "first");
        var second = Path.Combine(dir.Path, "second");

        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", first]).ExitCode);
        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", second]).ExitCode);

        // Bit-exact on one machine: every metric except wall-clock timings.
        Assert.Equal(WithoutTiming(Metrics(first)), WithoutTiming(Metrics(second)));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "completions.jsonl")), File.ReadAllText(Path.Combine(second, "completions.jsonl")));
        // The snapshot rounds to 4 decimals: libtorch's CPU kernels may round differently on other CPUs.
        var rounded = Metrics(first).Select(m => m.Where(kv => !StepMetrics.TimingFields.Contains(kv.Key) && !kv.Key.StartsWith("phrase/"))
            .ToDictionary(kv => kv.Key, kv => Rounded(kv.Value))).ToArray();
        Snapshot.Match(rounded);
    }

    private static double? Rounded(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? Math.Round(value.GetDouble(), 4) : null;

    [Fact]
    public void Unknown_keys_and_out_of_range_values_are_refused_naming_the_key()
    {
        var (dir, config) = Experiment();
        using var cleanup = dir;

        var unknown = HarnessRunner.Run(["run", config, "--set", "grpo.clipp=0.3", "--out", Path.Combine(dir.Path, "a")]);
        var range = HarnessRunner.Run(["run", config, "--set", "grpo.clipLow=1.5", "--out", Path.Combine(dir.Path, "b")]);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("clipp", unknown.Error);
        Assert.Equal(2, range.ExitCode);
        Assert.Contains("grpo.clipLow must be between 0 and 1, exclusive (got 1.5)", range.Error);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "a")));
    }

    [Fact]
    public void Cuda_without_a_gpu_is_a_clear_error_not_a_fallback()
    {
        var (dir, config) = Experiment();
        using var cleanup = dir;

        var result = HarnessRunner.Run(["run", config, "--device", "cuda", "--out", Path.Combine(dir.Path, "run")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Device 'cuda' was asked for, but libtorch sees no CUDA device", result.Error);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "run")));
    }

    [Theory]
    [InlineData("throws", "Reward plugin 'faulty', Score on prompt \"What is")]
    [InlineData("nan", ": term 'faulty' is NaN for completion 0, \"")]
    public void A_faulty_reward_stops_the_run_naming_it_and_keeps_what_was_written(string fault, string message)
    {
        var (dir, config) = Experiment(6, TinyExperiment.DigitShareReward, "accuracy", "faulty");
        using var cleanup = dir;
        // Faults once steps 1–3 are scored: one call per prompt group (4 a step), the evaluations at step 1 (2 × 8),
        // and the comparator probes before training and at the checkpoint of step 2 (1 each).
        TestPluginCompiler.Compile(Path.Combine(dir.Path, "plugins"), "Test.Faulty", $$"""
            using System.Collections.Generic;
            using System.Linq;
            using Harness.Abstractions;
            [assembly: HarnessContract(ContractVersion.Current)]
            [Plugin("faulty")]
            public sealed class Faulty : IReward
            {
                private int _calls;
                public IReadOnlyList<RewardTerm> Score(PromptGroup group)
                {
                    if (++_calls > 4 * 3 + 2 * 8 + 2)
                    {
                        if ("{{fault}}" == "throws") throw new System.InvalidOperationException("boom");
                        return new[] { new RewardTerm("faulty", group.Completions.Select(_ => double.NaN).ToArray()) };
                    }
                    return new[] { new RewardTerm("faulty", group.Completions.Select(_ => 0.0).ToArray()) };
                }
            }
            """);
        var run = Path.Combine(dir.Path, "run");

        var result = HarnessRunner.Run(["run", config, "--out", run]);

        Assert.Equal(2, result.ExitCode);
        Assert.True(result.Error.Contains(message), result.Error);
        Assert.Equal([1, 2, 3], Metrics(run).Select(m => m["step"].GetInt32()));
        var checkpoint = Assert.Single(Checkpoint.List(Path.Combine(run, "checkpoints")));
        Assert.Equal(2, checkpoint.Step);
        Assert.Equal(0, HarnessRunner.Run(["check", Path.Combine(run, "config.json")]).ExitCode);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_named_and_an_older_one_still_resumes()
    {
        var (dir, config) = Experiment(steps: 6);
        using var cleanup = dir;
        var run = Path.Combine(dir.Path, "run");
        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", run, "--steps", "4"]).ExitCode);
        var model = Path.Combine(run, "checkpoints", "step-000004", "model.bin");
        var bytes = File.ReadAllBytes(model);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(model, bytes);

        var corrupt = HarnessRunner.Run(["resume", run]);
        var older = HarnessRunner.Run(["resume", run, "--checkpoint", "step-000002"]);

        Assert.Equal(2, corrupt.ExitCode);
        Assert.Contains($"Checkpoint file '{model}' is corrupt", corrupt.Error);
        Assert.Contains("resume from one with --checkpoint step-000002", corrupt.Error);
        Assert.True(older.ExitCode == 0, older.Error);
        Assert.Contains("Replayed steps 3–4 matched the recorded metrics exactly.", older.Error);
        Assert.Equal([1, 2, 3, 4], Metrics(run).Select(m => m["step"].GetInt32()));
        Assert.True(Checkpoint.IsIntact(Path.GetDirectoryName(model)!), "the replay rewrote the corrupt checkpoint");
    }

    [Fact]
    public void An_existing_run_directory_is_never_overwritten()
    {
        var (dir, config) = Experiment();
        using var cleanup = dir;
        var run = Path.Combine(dir.Path, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "notes.txt"), "mine");

        var result = HarnessRunner.Run(["run", config, "--out", run]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already exists and is not empty", result.Error);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(run, "notes.txt")));
    }
}
