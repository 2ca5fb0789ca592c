using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// Every long command stopped by a signal (here a stop already requested, as a SIGTERM before the work began) keeps what
/// it wrote, records the stop, and ends with the signal's exit code and no <c>done:</c> line.
/// </summary>
[Collection(TorchCollection.Name)]
public class StopRequestTests
{
    private static StopRequest Sigterm()
    {
        var stop = new StopRequest();
        Assert.True(stop.Request("SIGTERM", 143));
        Assert.False(stop.Request("SIGINT", 130));
        return stop;
    }

    private static void AssertStopped(HarnessRunner.Result result, string kept)
    {
        Assert.True(result.ExitCode == 143, result.Error);
        Assert.Contains("stopped: SIGTERM after", result.Error);
        Assert.Contains(kept, result.Error);
        Assert.DoesNotContain("done:", result.Console);
    }

    [Fact]
    public void A_stopped_scan_writes_its_metrics_and_an_interrupted_event()
    {
        using var dir = new TempDirectory();
        var file = dir.File("dump.jsonl", """
            {"prompt": "What is 2 + 2?", "completion": "<think>2 + 2 = 4</think><answer>4</answer>", "gold": "4", "step": 1}
            """);
        var output = Path.Combine(dir.Path, "scan");

        var scan = HarnessRunner.Run(["scan", file, "--out", output], stop: Sigterm());

        AssertStopped(scan, "scan again for the rest");
        Assert.Equal("", File.ReadAllText(Path.Combine(output, "completions.jsonl")));
        Assert.True(File.Exists(Path.Combine(output, "metrics.jsonl")));
        var interrupted = JsonNode.Parse(File.ReadAllLines(Path.Combine(output, "events.jsonl")).Single())!;
        Assert.Equal(("interrupted", "SIGTERM"), ((string)interrupted["kind"]!, (string)interrupted["signal"]!));
    }

    [Fact]
    public void A_stopped_regress_keeps_its_run_and_compares_nothing()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        var experiment = dir.File("tiny.json", TinyExperiment.Json(plugins));
        dir.File("baseline/baseline.json", new JsonObject
        {
            ["experiment"] = experiment,
            ["metrics"] = new JsonArray(new JsonObject { ["name"] = "reward_mean", ["step"] = 6, ["value"] = 0.5, ["tolerance"] = 1.0 }),
        }.ToJsonString());
        var run = Path.Combine(dir.Path, "run");

        var regress = HarnessRunner.Run(["regress", Path.Combine(dir.Path, "baseline"), "--out", run], stop: Sigterm());

        AssertStopped(regress, $"continue with `harness resume {run}`");
        Assert.DoesNotContain("ok:", regress.Console);
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
        Assert.Equal([0], Harness.Runs.Checkpoint.List(Path.Combine(run, "checkpoints")).Select(c => c.Step));
        var resumed = HarnessRunner.Run(["resume", run]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Enumerable.Range(1, 6), RunTests.Metrics(run).Select(m => m["step"].GetInt32()));
    }

    [Fact]
    public void A_stopped_pretraining_writes_its_weights_and_a_report_that_says_so()
    {
        using var dir = new TempDirectory();
        var recipe = dir.File("tiny.recipe.json", new JsonObject
        {
            ["name"] = "tiny-base",
            ["seed"] = 2,
            ["output"] = Path.Combine(dir.Path, "base", "tiny.bin"),
            ["device"] = "cpu",
            ["policy"] = new JsonObject { ["name"] = "tiny-gpt", ["settings"] = new JsonObject { ["layers"] = "1", ["width"] = "32", ["heads"] = "2", ["context"] = "192" } },
            ["training"] = new JsonObject { ["stage1Steps"] = 0, ["steps"] = 20, ["batchSize"] = 4, ["threads"] = 2 },
        }.ToJsonString());

        var pretrain = HarnessRunner.Run(["pretrain", recipe], stop: Sigterm());

        AssertStopped(pretrain, "not evaluated");
        Assert.True(File.Exists(Path.Combine(dir.Path, "base", "tiny.bin")));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "base", "tiny.bin.json")));
        Assert.Equal(0, report.RootElement.GetProperty("steps").GetInt32());
        Assert.Equal(("SIGTERM", 20), (report.RootElement.GetProperty("stopped").GetProperty("signal").GetString(), report.RootElement.GetProperty("stopped").GetProperty("of").GetInt32()));
        Assert.Empty(report.RootElement.GetProperty("evaluation").EnumerateObject());
    }
}
