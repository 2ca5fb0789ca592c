using System.Diagnostics;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>A run killed with SIGKILL mid-way and resumed ends exactly as one that ran through.</summary>
[Collection(TorchCollection.Name)]
public class KillAndResumeTests
{
    [Fact]
    public void Kill_9_then_resume_matches_an_uninterrupted_run_line_for_line()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        var config = dir.File("tiny.json", TinyExperiment.Json(plugins, steps: 12));
        var through = Path.Combine(dir.Path, "through");
        var killed = Path.Combine(dir.Path, "killed");
        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", through]).ExitCode);

        using (var process = HarnessProcess.Start("run", config, "--out", killed))
        {
            var metrics = Path.Combine(killed, "metrics.jsonl");
            var deadline = DateTime.UtcNow.AddMinutes(3);
            // Past the checkpoint at step 4 and into steps it does not cover.
            while (HarnessProcess.LineCount(metrics) < 5 && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            if (process.HasExited) Assert.Fail("the run ended before it could be killed: " + process.StandardError.ReadToEnd());
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var before = HarnessProcess.LineCount(Path.Combine(killed, "metrics.jsonl"));
        Assert.True(before is >= 5 and < 12, $"{before} metrics lines when killed");
        var checkpoint = Harness.Runs.Checkpoint.List(Path.Combine(killed, "checkpoints"))[^1].Step;

        var resumed = HarnessRunner.Run(["resume", killed]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        // Steps recorded after the newest checkpoint are recomputed and must agree with what was written.
        if (before > checkpoint) Assert.Contains($"Replayed steps {checkpoint + 1}–{before} matched the recorded metrics exactly.", resumed.Error);
        Assert.Equal(Enumerable.Range(1, 12), RunTests.Metrics(killed).Select(m => m["step"].GetInt32()));
        Assert.Equal(RunTests.WithoutTiming(RunTests.Metrics(through)), RunTests.WithoutTiming(RunTests.Metrics(killed)));
        foreach (var log in new[] { "completions.jsonl", "events.jsonl" })
            Assert.Equal(File.ReadAllText(Path.Combine(through, log)), File.ReadAllText(Path.Combine(killed, log)));
    }

    [Fact]
    public async Task Ctrl_c_stops_at_a_step_boundary_with_a_checkpoint_and_resume_finishes_the_run()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        var config = dir.File("tiny.json", TinyExperiment.Json(plugins, steps: 40));
        var run = Path.Combine(dir.Path, "run");

        string error;
        using (var process = HarnessProcess.Start("run", config, "--out", run))
        {
            var errors = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (HarnessProcess.LineCount(Path.Combine(run, "metrics.jsonl")) < 3 && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            using (var signal = Process.Start("kill", ["-INT", $"{process.Id}"])) signal.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "the run did not stop after SIGINT");
            Assert.Equal(0, process.ExitCode);
            error = await errors;
        }

        var stoppedAfter = HarnessProcess.LineCount(Path.Combine(run, "metrics.jsonl"));
        Assert.InRange(stoppedAfter, 3, 39);
        Assert.Contains($"Stopped after step {stoppedAfter}; continue with `harness resume", error);
        Assert.Equal(stoppedAfter, Harness.Runs.Checkpoint.List(Path.Combine(run, "checkpoints"))[^1].Step);
        var resumed = HarnessRunner.Run(["resume", run]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Enumerable.Range(1, 40), RunTests.Metrics(run).Select(m => m["step"].GetInt32()));
    }
}
