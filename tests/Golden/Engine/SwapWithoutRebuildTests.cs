using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Harness.Abstractions;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// The plugin SDK end to end, as a third party uses it: plugins made with <c>dotnet new harness-plugin</c> outside
/// this solution, built against the packed contract into a plugin directory, and run by the harness built once.
/// </summary>
[Collection(TorchCollection.Name)]
public class SwapWithoutRebuildTests(PluginSdk sdk) : IClassFixture<PluginSdk>
{
    [Fact]
    public void A_template_reward_rebuilt_alone_is_picked_up_by_the_next_run_and_both_manifests_record_what_ran()
    {
        var project = sdk.New("SwapReward", "reward");
        var plugins = Path.Combine(sdk.Root, "swap-plugins");
        var dll = Path.Combine(plugins, "SwapReward", "SwapReward.dll");
        var harnessHash = Sha256(PluginSdk.Harness);
        var experiment = Experiment("swap", plugins, new JsonObject
        {
            ["rewards"] = new JsonArray(new JsonObject(), new JsonObject(), new JsonObject { ["name"] = "swap-reward", ["weight"] = 1.0 }),
        });

        sdk.Build(project, plugins);
        var firstHash = Sha256(dll);
        var first = Run(experiment, "v1");

        // The change a plugin author makes: new behaviour (half the score for an exact answer), new version.
        Edit(Path.Combine(project, "Reward.cs"), "settings.GetDouble(\"value\", 1.0)", "settings.GetDouble(\"value\", 0.5)");
        Edit(Path.Combine(project, "SwapReward.csproj"), "<Version>1.0.0</Version>", "<Version>1.1.0</Version>");
        sdk.Build(project, plugins);
        var secondHash = Sha256(dll);
        var second = Run(experiment, "v2");

        Assert.Equal(harnessHash, Sha256(PluginSdk.Harness));
        Assert.NotEqual(firstHash, secondHash);
        Assert.Equal(("1.0.0", firstHash, dll), Recorded(first, "swap-reward"));
        Assert.Equal(("1.1.0", secondHash, dll), Recorded(second, "swap-reward"));
        // Step 1 samples before any update, so both runs score the same completions: the new code halves the term.
        var before = AtStepOne(first, "reward/swap-reward_mean");
        Assert.True(before > 0, "the shape-bandit policy answers some sums exactly at step 1");
        Assert.Equal(before / 2, AtStepOne(second, "reward/swap-reward_mean"), 12);

        // A run locked to the first manifest refuses the rebuilt plugin, naming it and its new hash, and writes nothing.
        var locked = sdk.TryHarness("run", experiment, "--locked", Path.Combine(first, "manifest.json"), "--out", Path.Combine(sdk.Root, "v3"));
        Assert.Equal(2, locked.ExitCode);
        Assert.Contains("swap-reward", locked.Output);
        Assert.Contains(secondHash, locked.Output);
        Assert.False(Directory.Exists(Path.Combine(sdk.Root, "v3")));
    }

    [Fact]
    public void A_template_detector_builds_outside_the_solution_and_reports_its_rate_in_a_run()
    {
        var project = sdk.New("WaitFinder", "detector");
        var plugins = Path.Combine(sdk.Root, "detector-plugins");
        sdk.Build(project, plugins);
        Assert.Equal(["WaitFinder.deps.json", "WaitFinder.dll", "WaitFinder.pdb", "WaitFinder.runtimeconfig.json"],
            Directory.GetFiles(Path.Combine(plugins, "WaitFinder")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var run = Path.Combine(sdk.Root, "detector-run");
        var output = sdk.RunHarness("run", Experiment("detector", plugins, new JsonObject
        {
            ["detectors"] = new JsonArray(new JsonObject(), new JsonObject(), new JsonObject { ["name"] = "wait-finder" }),
        }), "--out", run);

        // The metric it declares is on the progress line, by its label (the phrase).
        Assert.Matches(@"step 1/2 .* wait \d\.\d{3}", output);
        Assert.Equal("1.0.0", Recorded(run, "wait-finder").Version);
        Assert.InRange(AtStepOne(run, "wait-finder_rate"), 1e-9, 1);
        // Its flag sits on exactly the logged completions that say "wait".
        var logged = File.ReadLines(Path.Combine(run, "completions.jsonl")).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Contains(logged, c => ((string)c["completion"]!).Contains("Wait", StringComparison.Ordinal));
        Assert.All(logged, c => Assert.Equal(
            ((string)c["completion"]!).Contains("wait", StringComparison.OrdinalIgnoreCase),
            c["flags"]!.AsArray().Any(f => (string)f! == "wait-finder")));
    }

    [Fact]
    public void A_hand_written_plugin_project_builds_with_warnings_as_errors_and_records_its_contract()
    {
        // Not from the template: a bare SDK project whose NuGet package folder sits inside it, so the default
        // **/*.cs glob reaches the restored package (the case that compiled a packaged source file twice).
        var project = Path.Combine(sdk.Root, "HandWritten");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "HandWritten.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>packages</RestorePackagesPath>
                <RestoreAdditionalProjectSources>{sdk.Feed}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Harness.Abstractions" Version="{ContractVersion.Current}.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Half.cs"), """
            using System.Collections.Generic;
            using System.Linq;
            using Harness.Abstractions;

            [Plugin("hand-written-half")]
            public sealed class Half : IReward
            {
                public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
                    [new RewardTerm("half", group.Completions.Select(_ => 0.5).ToArray())];
            }
            """);
        var plugins = Path.Combine(sdk.Root, "hand-written-plugins");

        var build = DotnetCli.Run(project, ["build", $"-p:HarnessPluginsDir={plugins}/"]);

        Assert.Matches(@"\b0 Warning\(s\)", build);
        Assert.DoesNotContain("CS2002", build);
        var listed = JsonNode.Parse(sdk.RunHarness("plugins", "--json", "--plugins", plugins))!["plugins"]!.AsArray()
            .Single(p => (string)p!["name"]! == "hand-written-half")!;
        Assert.Equal(ContractVersion.Current, (string)listed["contract"]!);
    }

    /// <summary>Two steps of the shape-bandit experiment with a plugin directory and some lists replaced.</summary>
    private string Experiment(string name, string plugins, JsonObject changes)
    {
        var config = new JsonObject
        {
            ["extends"] = Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json"),
            ["name"] = name,
            ["pluginDirectories"] = new JsonArray(plugins),
            ["run"] = new JsonObject { ["steps"] = 2, ["evalEvery"] = 1 },
        };
        foreach (var (key, value) in changes) config[key] = value!.DeepClone();
        var file = Path.Combine(sdk.Root, name + ".json");
        File.WriteAllText(file, config.ToJsonString());
        return file;
    }

    private string Run(string experiment, string name)
    {
        var dir = Path.Combine(sdk.Root, name);
        sdk.RunHarness("run", experiment, "--out", dir);
        return dir;
    }

    private static void Edit(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        Assert.Contains(from, text);
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private static (string Version, string Sha256, string File) Recorded(string run, string plugin)
    {
        var entry = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")))!["plugins"]!.AsArray()
            .Single(p => (string)p!["name"]! == plugin)!;
        return ((string)entry["version"]!, (string)entry["sha256"]!, (string)entry["file"]!);
    }

    private static double AtStepOne(string run, string metric) =>
        (double)JsonNode.Parse(File.ReadLines(Path.Combine(run, "metrics.jsonl")).First())![metric]!;

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
