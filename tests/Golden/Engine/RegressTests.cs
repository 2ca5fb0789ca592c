using System.Text.Json.Nodes;
using System.Xml.Linq;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary><c>harness regress</c> against the committed shape-bandit baseline: it passes on the seeded run and fails on a changed reward weight.</summary>
[Collection(TorchCollection.Name)]
public class RegressTests
{
    private static string Root => RepoRoot.Path;

    /// <summary>The committed baseline, with its experiment's path made absolute (tests do not run in the repository root).</summary>
    private static string CopyBaseline(TempDirectory dir)
    {
        var baseline = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "baselines", "shape-bandit", "baseline.json")))!;
        baseline["experiment"] = Path.Combine(Root, (string)baseline["experiment"]!);
        dir.File("baseline/baseline.json", baseline.ToJsonString());
        return Path.Combine(dir.Path, "baseline");
    }

    [Fact]
    public void The_baseline_passes_on_its_own_run_and_fails_naming_each_metric_a_changed_reward_weight_moves()
    {
        using var dir = new TempDirectory();
        var baseline = CopyBaseline(dir);
        var passingJunit = Path.Combine(dir.Path, "pass.xml");

        var pass = HarnessRunner.Run(["regress", baseline, "--out", Path.Combine(dir.Path, "seeded"), "--junit", passingJunit]);

        Assert.True(pass.ExitCode == 0, pass.Error);
        Assert.Contains("reproduces all 6 metrics", pass.Console);
        var suite = XDocument.Load(passingJunit).Root!.Element("testsuite")!;
        Assert.Equal(("6", "0"), ((string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!));

        var changed = Path.Combine(dir.Path, "changed");
        Assert.Equal(0, HarnessRunner.Run(["run", Path.Combine(Root, "experiments", "shape-bandit.json"), "--steps", "20", "--set", "rewards.1.weight=2", "--out", changed]).ExitCode);
        var failingJunit = Path.Combine(dir.Path, "fail.xml");

        var fail = HarnessRunner.Run(["regress", baseline, "--run", changed, "--junit", failingJunit]);

        Assert.Equal(1, fail.ExitCode);
        // The format term (0.1 on every completion) now counts twice: the mean reward is 0.1 higher, accuracy is the same.
        Assert.Contains("moved: reward_mean at step 20: 0.934375 (baseline 0.834375, +0.1, tolerance 0.02)", fail.Error);
        Assert.DoesNotContain("moved: reward/accuracy_mean", fail.Error);
        var failures = XDocument.Load(failingJunit).Descendants("failure").Select(f => (string)f.Attribute("message")!).ToArray();
        Assert.Contains(failures, m => m.StartsWith("reward_mean at step 20", StringComparison.Ordinal));
    }

    [Fact]
    public void Update_writes_the_runs_values_into_the_baseline_keeping_its_tolerances_and_the_run_then_passes()
    {
        using var dir = new TempDirectory();
        var baseline = CopyBaseline(dir);
        var changed = Path.Combine(dir.Path, "changed");
        Assert.Equal(0, HarnessRunner.Run(["run", Path.Combine(Root, "experiments", "shape-bandit.json"), "--steps", "20", "--set", "rewards.1.weight=2", "--out", changed]).ExitCode);

        var update = HarnessRunner.Run(["regress", baseline, "--run", changed, "--update"]);
        var again = HarnessRunner.Run(["regress", baseline, "--run", changed]);

        Assert.True(update.ExitCode == 0, update.Error);
        Assert.Contains("updated: 1 of 6 metrics had moved beyond their tolerance;", update.Console);
        Assert.True(again.ExitCode == 0, again.Error);
        var metric = JsonNode.Parse(File.ReadAllText(Path.Combine(baseline, "baseline.json")))!["metrics"]!.AsArray().Single(m => (string)m!["name"]! == "reward_mean")!;
        Assert.Equal((0.934375, 0.02), ((double)metric["value"]!, (double)metric["tolerance"]!));
        // One metric per line; a value that did not move keeps its text.
        Assert.Contains("""    {"name":"pass1_easy","step":20,"value":1.0,"tolerance":0.02}""", File.ReadAllLines(Path.Combine(baseline, "baseline.json")));
    }

    [Fact]
    public void A_baseline_without_metrics_is_refused_naming_the_file_and_the_field()
    {
        using var dir = new TempDirectory();
        dir.File("empty/baseline.json", """{ "experiment": "x.json" }""");

        var result = HarnessRunner.Run(["regress", Path.Combine(dir.Path, "empty")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("baseline.json: \"metrics\" is required.", result.Error);
    }
}
