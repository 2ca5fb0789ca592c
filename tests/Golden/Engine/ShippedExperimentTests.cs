using Harness.Experiments;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>Every experiment the repository ships (main job, controls, failure-mode pairs) loads, validates and resolves its plugins.</summary>
[Collection(TorchCollection.Name)]
public class ShippedExperimentTests
{
    private static string Root => RepoRoot.Path;

    public static TheoryData<string> Experiments() =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, "experiments"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}base{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Experiments))]
    public void A_shipped_experiment_passes_harness_check(string experiment)
    {
        var file = Path.Combine(Root, experiment);
        // Paths in an experiment are relative to the repository root, where its commands run.
        var settings = ExperimentLoader.Load(file).Policy!.Settings;
        string[] overrides = [.. new[] { "weights", "file" }.Where(settings.ContainsKey)
            .Select(key => $"--set=policy.settings.{key}={Path.Combine(Root, settings[key])}")];

        var result = HarnessRunner.Run(["check", file, .. overrides]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("plugins resolved", result.Console);
    }
}
