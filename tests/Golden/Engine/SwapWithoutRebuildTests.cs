using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Harness.Abstractions;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// The plugin SDK end to end, as a third party uses it: pack the contract and the template, make a reward with
/// <c>dotnet new harness-plugin</c> outside this solution, build it into a plugin directory, run an experiment
/// that names it with the harness built once, then change and rebuild only the plugin and run again.
/// </summary>
[Collection(TorchCollection.Name)]
public class SwapWithoutRebuildTests
{
    private static readonly string Sdk = ContractVersion.Current + ".0";

    [Fact]
    public void A_template_plugin_rebuilt_alone_is_picked_up_by_the_next_run_and_both_manifests_record_what_ran()
    {
        using var dir = new TempDirectory();
        var feed = Path.Combine(dir.Path, "feed");
        DotnetCli.Run(RepoRoot.Path, ["pack", "src/Harness.Abstractions", "-o", feed]);
        DotnetCli.Run(RepoRoot.Path, ["pack", "templates", "-o", feed]);
        string[] hive = ["--debug:custom-hive", Path.Combine(dir.Path, "hive")];
        DotnetCli.Run(dir.Path, ["new", "install", Path.Combine(feed, $"Harness.Templates.{Sdk}.nupkg"), .. hive]);
        var project = Path.Combine(dir.Path, "SwapReward");
        DotnetCli.Run(dir.Path, ["new", "harness-plugin", "-n", "SwapReward", "--kind", "reward", "--feed", feed, "-o", project, .. hive]);
        var plugins = Path.Combine(dir.Path, "plugins");
        var dll = Path.Combine(plugins, "SwapReward", "SwapReward.dll");
        var harness = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        var harnessHash = Sha256(harness);
        var experiment = dir.File("swap.json", new JsonObject
        {
            ["extends"] = Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json"),
            ["name"] = "swap",
            ["pluginDirectories"] = new JsonArray(plugins),
            ["rewards"] = new JsonArray(new JsonObject(), new JsonObject(), new JsonObject { ["name"] = "swap-reward", ["weight"] = 1.0 }),
            ["run"] = new JsonObject { ["steps"] = 2, ["evalEvery"] = 1 },
        }.ToJsonString());

        BuildPlugin(project, plugins, dir.Path);
        var firstHash = Sha256(dll);
        var first = RunHarness(dir.Path, harness, ["run", experiment, "--out", Path.Combine(dir.Path, "v1")]);

        // The change a plugin author makes: new behaviour (half the score for an exact answer), new version.
        Edit(Path.Combine(project, "Reward.cs"), "settings.GetDouble(\"value\", 1.0)", "settings.GetDouble(\"value\", 0.5)");
        Edit(Path.Combine(project, "SwapReward.csproj"), "<Version>1.0.0</Version>", "<Version>1.1.0</Version>");
        BuildPlugin(project, plugins, dir.Path);
        var secondHash = Sha256(dll);
        var second = RunHarness(dir.Path, harness, ["run", experiment, "--out", Path.Combine(dir.Path, "v2")]);

        Assert.Equal(harnessHash, Sha256(harness));
        Assert.NotEqual(firstHash, secondHash);
        Assert.Equal(("1.0.0", firstHash, dll), Recorded(first));
        Assert.Equal(("1.1.0", secondHash, dll), Recorded(second));
        // Step 1 samples before any update, so both runs score the same completions: the new code halves the term.
        var before = TermAtStepOne(first);
        Assert.True(before > 0, "the shape-bandit policy answers some sums exactly at step 1");
        Assert.Equal(before / 2, TermAtStepOne(second), 12);

        // And a run locked to the first manifest refuses the rebuilt plugin, naming it.
        var locked = DotnetCli.Try(dir.Path, ["exec", harness, "run", experiment, "--locked", Path.Combine(first, "manifest.json"), "--out", Path.Combine(dir.Path, "v3")]);
        Assert.Equal(2, locked.ExitCode);
        Assert.Contains("swap-reward", locked.Output);
        Assert.Contains(secondHash, locked.Output);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "v3")));
    }

    /// <summary>Builds the plugin outside this solution, with its own package folder so the freshly packed contract is the one restored.</summary>
    private static void BuildPlugin(string project, string plugins, string root) =>
        DotnetCli.Run(project, ["build", $"-p:HarnessPluginsDir={plugins}/"], new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(root, "packages") });

    private static string RunHarness(string directory, string harness, string[] args)
    {
        DotnetCli.Run(directory, ["exec", harness, .. args]);
        return args[^1];
    }

    private static void Edit(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        Assert.Contains(from, text);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private static (string Version, string Sha256, string File) Recorded(string run)
    {
        var plugin = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")))!["plugins"]!.AsArray()
            .Single(p => (string)p!["name"]! == "swap-reward")!;
        return ((string)plugin["version"]!, (string)plugin["sha256"]!, (string)plugin["file"]!);
    }

    private static double TermAtStepOne(string run) =>
        (double)JsonNode.Parse(File.ReadLines(Path.Combine(run, "metrics.jsonl")).First())!["reward/swap-reward_mean"]!;

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
