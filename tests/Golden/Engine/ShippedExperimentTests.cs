using System.Text.Json.Nodes;
using Harness.Experiments;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// Every experiment the repository ships (main job, controls, failure-mode pairs, comparator) loads, validates and
/// resolves its plugins, runs, and resumes from its run directory alone.
/// </summary>
[Collection(TorchCollection.Name)]
public class ShippedExperimentTests
{
    private static string Root => RepoRoot.Path;

    public static TheoryData<string> Experiments() =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, "experiments"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}base{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}sweeps{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Experiments))]
    public void A_shipped_experiment_passes_harness_check(string experiment)
    {
        var file = Path.Combine(Root, experiment);
        // Paths in an experiment are relative to the repository root, where its commands run.
        var settings = ExperimentLoader.Load(file).Policy!.Settings;
        string[] overrides = [.. new[] { "weights", "file", "model" }.Where(settings.ContainsKey)
            .Select(key => $"--set=policy.settings.{key}={Path.Combine(Root, settings[key])}")];

        var result = HarnessRunner.Run(["check", file, .. overrides]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("plugins resolved", result.Console);
    }

    [Theory]
    [MemberData(nameof(Experiments))]
    public void A_shipped_experiment_runs_two_steps_and_resumes_to_three_from_another_directory(string experiment)
    {
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        // Small held-out sets keep fifteen experiments quick; what is tested is that each runs and its directory stands alone.
        var first = DotnetCli.Try(Root, ["exec", PluginSdk.Harness, "run", experiment, "--out", run, "--steps", "2",
            "--set", "tasks.evalSize=2", "--set", "grpo.promptsPerStep=2"]);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", "step-000002")), "no checkpoint after the last step");

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!.AsObject();
        Assert.False(config.ContainsKey("extends"), "config.json names a base file instead of holding the resolved experiment");
        string?[] paths = [.. config["pluginDirectories"]!.AsArray().Select(d => (string?)d), (string?)config["tasks"]!["file"],
            .. new[] { "weights", "file", "model" }.Select(key => (string?)config["policy"]!["settings"]![key])];
        Assert.All(paths.Where(p => !string.IsNullOrEmpty(p)), p => Assert.True(Path.IsPathRooted(p), $"'{p}' in config.json is relative"));

        var resumed = DotnetCli.Try(dir.Path, ["exec", PluginSdk.Harness, "resume", run, "--steps", "3"]);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Equal([1, 2, 3], RunTests.Metrics(run).Select(m => m["step"].GetInt32()));
        Assert.Equal(3, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["run"]!["steps"]!);
    }

    public static TheoryData<string> Sweeps() =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, "experiments", "sweeps"), "*.json").Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void A_shipped_sweep_runs_each_variant_for_two_steps(string sweep)
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(Root, sweep);
        var experiment = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("experiment").GetString()!;
        var settings = ExperimentLoader.Load(Path.Combine(Path.GetDirectoryName(file)!, experiment)).Policy!.Settings;
        string[] overrides = [.. new[] { "weights", "file", "model" }.Where(settings.ContainsKey)
            .SelectMany(key => new[] { "--set", $"policy.settings.{key}={Path.Combine(Root, settings[key])}" })];
        var result = HarnessRunner.Run(["sweep", file, "--seeds", "1", "--set", "run.steps=2", "--set", "tasks.evalSize=4", "--set", "run.probeSamples=0",
            "--out", Path.Combine(dir.Path, "sweep"), "--json", .. overrides]);

        Assert.True(result.ExitCode == 0, result.Error);
        var variants = System.Text.Json.JsonDocument.Parse(result.Out).RootElement.GetProperty("variants").EnumerateArray().ToArray();
        Assert.True(variants.Length >= 2);
        Assert.All(variants, v => Assert.Equal(1, v.GetProperty("finished").GetInt32()));
    }
}
