using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>A run directory has one writer: the OS lock a run or resume holds, and what a second writer is told.</summary>
[Collection(TorchCollection.Name)]
public class RunDirectoryTests
{
    [Fact]
    public void A_second_writer_is_refused_readers_work_on_the_live_run_and_a_lock_left_by_kill_9_does_not_block_resume()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        // Each completion takes 5 ms to score, so the run is still writing while the test looks at it.
        TestPluginCompiler.Compile(plugins, "Test.Slow", TestPluginCompiler.Reward("slow", "new System.Threading.ManualResetEventSlim(false).Wait(5) ? 0.0 : 1.0"));
        var config = dir.File("bandit.json", new JsonObject
        {
            ["extends"] = Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json"),
            ["pluginDirectories"] = new JsonArray(plugins),
            ["rewards"] = new JsonArray(new JsonObject(), new JsonObject(), new JsonObject { ["name"] = "slow" }),
            ["run"] = new JsonObject { ["steps"] = 40, ["checkpointEvery"] = 2 },
        }.ToJsonString());
        var run = Path.Combine(dir.Path, "run");
        var metrics = Path.Combine(run, "metrics.jsonl");

        using (var first = HarnessProcess.Start("run", config, "--out", run))
        {
            WaitFor(() => HarnessProcess.LineCount(metrics) >= 3, first);

            var second = HarnessRunner.Run(["resume", run]);
            var detect = HarnessRunner.Run(["detect", run, "--json"]);
            var doctor = HarnessRunner.Run(["doctor", run, "--json"]);
            Assert.False(first.HasExited, "the first run ended before the checks; make its reward slower");

            Assert.Equal(2, second.ExitCode);
            Assert.Contains($"Run directory '{run}' is being written by process {first.Id} ", second.Error);
            Assert.Contains("Nothing was written.", second.Error);
            Assert.False(File.Exists(Path.Combine(run, "errors.jsonl")), "the refused writer wrote errors.jsonl");
            Assert.True(detect.ExitCode == 0, detect.Error);
            Assert.Contains("\"verdict\"", detect.Out);
            Assert.True(doctor.ExitCode == 0, doctor.Error);

            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
        var killedAt = HarnessProcess.LineCount(metrics);
        Assert.InRange(killedAt, 3, 39);

        var resumed = HarnessRunner.Run(["resume", run]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        // One writer at a time: every line is whole and each step is there once, in order.
        Assert.Equal(Enumerable.Range(1, 40), RunTests.Metrics(run).Select(m => m["step"].GetInt32()));
    }

    [Fact]
    public void Run_out_an_existing_file_is_a_user_error_in_one_sentence()
    {
        using var dir = new TempDirectory();
        var file = dir.File("taken.txt", "keep me");

        var result = HarnessRunner.Run(["run", Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json"), "--out", file, "--steps", "1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: Run directory '{file}' is an existing file, not a directory: choose another --out.", result.Error.Trim());
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    private static void WaitFor(Func<bool> condition, Process process)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!condition() && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
        if (process.HasExited) Assert.Fail("the run ended early: " + process.StandardError.ReadToEnd());
        Assert.True(condition(), "the run did not get going within 3 minutes");
    }
}
