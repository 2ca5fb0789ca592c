using System.Text.Json.Nodes;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary><c>harness run --locked manifest.json</c>: runs only with the very plugin files a manifest records.</summary>
[Collection(TorchCollection.Name)]
public class LockedRunTests
{
    private static string Experiment(TempDirectory dir) => dir.File("bandit.json", new JsonObject
    {
        ["name"] = "locked",
        ["device"] = "cpu",
        ["policy"] = new JsonObject { ["name"] = "shape-bandit" },
        ["rewards"] = new JsonArray(new JsonObject { ["name"] = "accuracy" }, new JsonObject { ["name"] = "format" }),
        ["detectors"] = new JsonArray(new JsonObject { ["name"] = "self-verification" }),
        ["tasks"] = new JsonObject { ["evalSize"] = 8 },
        ["run"] = new JsonObject { ["steps"] = 2, ["checkpointEvery"] = 2, ["evalEvery"] = 2 },
    }.ToJsonString());

    [Fact]
    public void A_run_locked_to_its_own_manifest_runs_and_one_with_a_changed_plugin_is_refused_naming_it()
    {
        using var dir = new TempDirectory();
        var experiment = Experiment(dir);
        var first = Path.Combine(dir.Path, "first");
        Assert.Equal(0, HarnessRunner.Run(["run", experiment, "--out", first]).ExitCode);
        var manifest = Path.Combine(first, "manifest.json");

        var again = HarnessRunner.Run(["run", experiment, "--out", Path.Combine(dir.Path, "again"), "--locked", manifest]);
        Assert.True(again.ExitCode == 0, again.Error);

        var node = JsonNode.Parse(File.ReadAllText(manifest))!;
        var accuracy = node["plugins"]!.AsArray().Single(p => (string?)p!["name"] == "accuracy")!;
        var real = (string)accuracy["sha256"]!;
        accuracy["sha256"] = new string('0', 64);
        var tampered = dir.File("tampered.json", node.ToJsonString());
        var refusedDir = Path.Combine(dir.Path, "refused");

        var refused = HarnessRunner.Run(["run", experiment, "--out", refusedDir, "--locked", tampered]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"plugin 'accuracy' (reward, ", refused.Error);
        Assert.Contains($"has SHA-256 {real}, the manifest records {new string('0', 64)}", refused.Error);
        Assert.Contains("Nothing was run", refused.Error);
        Assert.DoesNotContain("'format'", refused.Error);
        Assert.False(Directory.Exists(refusedDir));
    }

    [Fact]
    public void A_lock_file_that_is_not_a_manifest_is_named()
    {
        using var dir = new TempDirectory();
        var refused = HarnessRunner.Run(["run", Experiment(dir), "--out", Path.Combine(dir.Path, "run"), "--locked", dir.File("nope.json", "{}")]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("nope.json' is not a readable run manifest", refused.Error);
    }
}
