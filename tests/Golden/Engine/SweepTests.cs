using System.Diagnostics;
using System.Text.Json;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// <c>harness sweep</c> over the shape-bandit experiment (seconds a run), end to end: the run directories, the summary and
/// its statistics, the page in Chromium, a resume after kill -9, and the summary as a regression baseline.
/// </summary>
[Collection(TorchCollection.Name)]
public class SweepTests
{
    private static readonly string Experiment = Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json");

    private static string[] Sweep(string folder, int steps, params string[] extra) => Sweep(folder, steps, 2, extra);

    private static string[] Sweep(string folder, int steps, int seeds, params string[] extra) =>
        ["sweep", Experiment, "--vary", "grpo.advantageEstimator=grpo,rloo", "--seeds", $"{seeds}", "--set", $"run.steps={steps}", "--set", "run.checkpointEvery=5", "--out", folder, .. extra];

    [Fact]
    public void A_sweep_writes_ordinary_runs_a_summary_with_intervals_and_tests_and_a_self_contained_page()
    {
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "sweep");
        var result = HarnessRunner.Run(Sweep(folder, 40, "--json", "--parallel", "2"));

        Assert.True(result.ExitCode == 0, result.Error);
        foreach (var variant in new[] { "grpo.advantageEstimator-grpo", "grpo.advantageEstimator-rloo" })
            foreach (var seed in new[] { 1, 2 })
            {
                var run = Path.Combine(folder, "runs", variant, $"seed-{seed}");
                Assert.Equal(40, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
                var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))).RootElement;
                Assert.Equal(seed, config.GetProperty("seed").GetInt64());
                Assert.Equal(variant.EndsWith("rloo") ? "rloo" : "grpo", config.GetProperty("grpo").GetProperty("advantageEstimator").GetString());
                // Two runs at a time on the machine's cores: each gets its share of libtorch's threads.
                Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), config.GetProperty("run").GetProperty("threads").GetInt32());
            }
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "summary.json")).Trim(), result.Out.Trim());

        var summary = JsonDocument.Parse(result.Out).RootElement;
        var variants = summary.GetProperty("variants").EnumerateArray().ToArray();
        Assert.Equal(["grpo.advantageEstimator=grpo", "grpo.advantageEstimator=rloo"], variants.Select(v => v.GetProperty("name").GetString()));
        foreach (var v in variants)
        {
            Assert.Equal(2, v.GetProperty("finished").GetInt32());
            Assert.Equal(2, v.GetProperty("verdicts").EnumerateObject().Sum(p => p.Value.GetInt32()));
            var length = v.GetProperty("final").GetProperty("completion_length_mean");
            Assert.Equal(2, length.GetProperty("n").GetInt32());
            Assert.True(length.GetProperty("low").GetDouble() <= length.GetProperty("mean").GetDouble() && length.GetProperty("mean").GetDouble() <= length.GetProperty("high").GetDouble());
            var band = v.GetProperty("curves").GetProperty("completion_length_mean").EnumerateArray().ToArray();
            Assert.Equal(40, band.Length);
            Assert.All(band, p => Assert.True(p.GetProperty("min").GetDouble() <= p.GetProperty("mean").GetDouble() && p.GetProperty("mean").GetDouble() <= p.GetProperty("max").GetDouble()));
        }
        var comparisons = summary.GetProperty("comparisons").EnumerateArray().ToArray();
        Assert.Contains(comparisons, c => c.GetProperty("measure").GetString() == "aha_rate");
        // Two seeds against two: the smallest p a permutation test can reach is 2/6.
        Assert.All(comparisons.Where(c => c.GetProperty("p_value").ValueKind == JsonValueKind.Number),
            c => Assert.True(c.GetProperty("p_value").GetDouble() >= 1 / 3.0 - 1e-9 && !c.GetProperty("beyond_noise").GetBoolean()));

        var page = Path.Combine(folder, "sweep.html");
        var html = File.ReadAllText(page);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<link", html);
        var dom = Chromium.DumpDom(page);
        foreach (var id in new[] { "verdicts", "final", "comparisons", "runs", "curve-completion_length_mean".Replace('_', '-') })
            Assert.Contains($"id=\"{id}\"", dom);
        Assert.True(dom.Split("class=\"band\"").Length - 1 >= 2, "each variant's seed band is drawn");
        var pixels = Chromium.ScreenshotPixels(page, Path.Combine(dir.Path, "sweep.png"));
        Assert.True(pixels.Distinct().Count() > 100, "the screenshot is blank or nearly so");

        // Run again: every run is finished, so nothing runs and the summary is the same.
        var again = HarnessRunner.Run(Sweep(folder, 40, "--json", "--parallel", "2"));
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("4 of 4 runs already finished", again.Error);
        Assert.Equal(result.Out, again.Out);

        // The summary as a regression baseline: the finished sweep reproduces it; a moved count fails, naming it.
        var ok = HarnessRunner.Run(["regress", Path.Combine(folder, "summary.json"), "--run", folder]);
        Assert.True(ok.ExitCode == 0, ok.Error + ok.Console);
        var moved = Path.Combine(dir.Path, "moved", "summary.json");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!;
        var counts = node["variants"]![1]!["verdicts"]!.AsObject();
        var (verdict, count) = (counts.First().Key, counts.First().Value!.GetValue<int>());
        counts[verdict] = count - 1;
        File.WriteAllText(moved, node.ToJsonString());
        var fail = HarnessRunner.Run(["regress", moved, "--run", folder]);
        Assert.Equal(1, fail.ExitCode);
        Assert.Contains($"moved: grpo.advantageEstimator=rloo/verdicts/{verdict} at step 40: {count} (baseline {count - 1}, +1, tolerance 0)", fail.Error);
    }

    [Fact]
    public void A_sweep_killed_with_kill_9_stops_its_runs_at_a_checkpoint_and_goes_on_when_run_again()
    {
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "sweep");
        var first = Path.Combine(folder, "runs", "grpo.advantageEstimator-grpo", "seed-1");
        var command = Sweep(folder, 80, 1);
        using (var sweep = HarnessProcess.Start(command))
        {
            var clock = Stopwatch.StartNew();
            while (HarnessProcess.LineCount(Path.Combine(first, "metrics.jsonl")) < 12 && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(100);
            sweep.Kill(entireProcessTree: false);
            sweep.WaitForExit();
        }
        // The run, orphaned, sees its parent gone, writes a checkpoint of its last completed step and exits.
        var events = Path.Combine(first, "events.jsonl");
        var wait = Stopwatch.StartNew();
        while (!File.ReadAllText(events).Contains("\"kind\":\"interrupted\"") && wait.Elapsed < TimeSpan.FromMinutes(1)) Thread.Sleep(100);
        var interrupted = File.ReadLines(events).Last(l => l.Contains("\"kind\":\"interrupted\""));
        Assert.Contains("\"signal\":\"parent exited\"", interrupted);
        var completed = JsonDocument.Parse(interrupted).RootElement.GetProperty("completed").GetInt32();
        Assert.InRange(completed, 12, 79);
        Assert.True(Directory.Exists(Path.Combine(first, "checkpoints", $"step-{completed:D6}")));

        var again = HarnessRunner.Run(command);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("[1/2] grpo.advantageEstimator=grpo, seed 1: resuming", again.Out);
        var steps = File.ReadLines(Path.Combine(first, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(1, 80), steps);
        Assert.Equal(2, Directory.EnumerateDirectories(Path.Combine(folder, "runs"), "seed-*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void A_bad_variant_is_named_before_anything_runs_and_another_sweep_is_refused_in_the_same_folder()
    {
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "sweep");
        var bad = HarnessRunner.Run(["sweep", Experiment, "--vary", "grpo.policyLoss=vanilla,ppo2", "--out", folder]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Variant 'grpo.policyLoss=ppo2'", bad.Error);
        Assert.False(Directory.Exists(folder));

        var bounds = HarnessRunner.Run(["sweep", Experiment, "--vary", "grpo.overlongBuffer=0,500", "--out", folder]);
        Assert.Contains("Variant 'grpo.overlongBuffer=500'", bounds.Error);
        Assert.Contains("grpo.overlongBuffer must be 0 (off) or less than sampling.maxNewTokens (96)", bounds.Error);

        Assert.Equal(0, HarnessRunner.Run(["sweep", Experiment, "--seeds", "1", "--set", "run.steps=3", "--out", folder]).ExitCode);
        var other = HarnessRunner.Run(["sweep", Experiment, "--seeds", "2", "--set", "run.steps=3", "--out", folder]);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("holds another sweep", other.Error);
    }
}
