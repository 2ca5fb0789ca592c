using System.Diagnostics;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// A run killed with SIGKILL, or stopped by SIGINT, SIGTERM or SIGHUP (once, or twice), mid-way and resumed ends exactly
/// as one that ran through.
/// </summary>
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
    public async Task Sigint_stops_at_a_step_boundary_with_a_checkpoint_exits_130_and_resume_finishes_the_run()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        var config = dir.File("tiny.json", TinyExperiment.Json(plugins, steps: 40));
        var run = Path.Combine(dir.Path, "run");

        var (code, output, error) = await Signalled(["run", config, "--out", run], () => HarnessProcess.LineCount(Path.Combine(run, "metrics.jsonl")) >= 3, "INT");

        Assert.Equal(130, code);
        var stoppedAfter = HarnessProcess.LineCount(Path.Combine(run, "metrics.jsonl"));
        Assert.InRange(stoppedAfter, 3, 39);
        Assert.Contains($"SIGINT: stopped after step {stoppedAfter}", error);
        Assert.Contains($"continue with `harness resume {run}`", error);
        Assert.DoesNotContain("done:", output);
        Assert.Equal(stoppedAfter, Harness.Runs.Checkpoint.List(Path.Combine(run, "checkpoints"))[^1].Step);
        var resumed = HarnessRunner.Run(["resume", run]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Enumerable.Range(1, 40), RunTests.Metrics(run).Select(m => m["step"].GetInt32()));
    }

    /// <summary>SIGTERM or SIGHUP at random moments (from before the first step to the last), then resume: the same run as one never stopped.</summary>
    [Fact]
    public async Task A_signal_at_a_random_moment_then_resume_matches_an_uninterrupted_run()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        const int steps = 10;
        var config = dir.File("tiny.json", TinyExperiment.Json(plugins, steps));
        var through = Path.Combine(dir.Path, "through");
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", through]).ExitCode);
        var length = clock.Elapsed;
        var random = new Random(2026);
        (string Signal, int Code)[] signals = [("TERM", 143), ("HUP", 129), ("TERM", 143)];
        var stoppedRuns = 0;
        foreach (var (signal, exitCode) in signals)
        {
            var stopped = Path.Combine(dir.Path, $"stopped-{random.Next()}");
            // From the moment the run directory exists: before the first step, mid-step or between steps.
            var delay = TimeSpan.FromSeconds(random.NextDouble() * length.TotalSeconds * 0.8);
            var (code, output, error) = await Signalled(["run", config, "--out", stopped], () => File.Exists(Path.Combine(stopped, "config.json")), signal, delay);
            var completed = HarnessProcess.LineCount(Path.Combine(stopped, "metrics.jsonl"));
            if (code == 0) { Assert.Equal(steps, completed); continue; }

            Assert.True(code == exitCode, $"exit {code} after SIG{signal} at {delay.TotalSeconds:F2} s: {error}");
            Assert.DoesNotContain("done:", output);
            Assert.True(File.Exists(Path.Combine(stopped, "report.html")));
            var interrupted = RunTests.Events(stopped).Single(e => e["kind"].GetString() == "interrupted");
            Assert.Equal(($"SIG{signal}", completed), (interrupted["signal"].GetString(), interrupted["completed"].GetInt32()));
            Assert.Equal(completed, Harness.Runs.Checkpoint.List(Path.Combine(stopped, "checkpoints"))[^1].Step);

            stoppedRuns++;
            var resumed = HarnessRunner.Run(["resume", stopped]);

            Assert.True(resumed.ExitCode == 0, resumed.Error);
            Assert.Equal(RunTests.WithoutTiming(RunTests.Metrics(through)), RunTests.WithoutTiming(RunTests.Metrics(stopped)));
            Assert.Equal(File.ReadAllText(Path.Combine(through, "completions.jsonl")), File.ReadAllText(Path.Combine(stopped, "completions.jsonl")));
            Assert.Equal(File.ReadAllLines(Path.Combine(through, "events.jsonl")),
                File.ReadAllLines(Path.Combine(stopped, "events.jsonl")).Where(l => !l.Contains("\"kind\":\"interrupted\"", StringComparison.Ordinal)));
        }
        Assert.True(stoppedRuns > 0, "every run ended before its signal");
    }

    [Fact]
    public async Task A_second_signal_ends_the_process_at_once_and_the_run_resumes_as_after_a_crash()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        var config = dir.File("tiny.json", TinyExperiment.Json(plugins, steps: 8));
        var run = Path.Combine(dir.Path, "run");

        using (var process = HarnessProcess.Start("run", config, "--out", run))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            // Past the checkpoint at step 2, so that there is one to resume from, as after a crash.
            while (HarnessProcess.LineCount(Path.Combine(run, "metrics.jsonl")) < 3 && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Send(process, "TERM");
            Send(process, "TERM");
            Assert.True(process.WaitForExit(5_000), "a second SIGTERM did not end the process at once");
            await process.StandardError.ReadToEndAsync();
            Assert.Equal(143, process.ExitCode);
        }
        var resumed = HarnessRunner.Run(["resume", run]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Enumerable.Range(1, 8), RunTests.Metrics(run).Select(m => m["step"].GetInt32()));
    }

    /// <summary>Starts the harness, waits until <paramref name="ready"/> and then <paramref name="delay"/>, sends the signal, and waits for the exit.</summary>
    private static async Task<(int Code, string Output, string Error)> Signalled(string[] args, Func<bool> ready, string signal, TimeSpan delay = default)
    {
        using var process = HarnessProcess.Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!ready() && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Thread.Sleep(delay);
        if (!process.HasExited) Send(process, signal);
        Assert.True(process.WaitForExit(120_000), $"the harness did not stop after SIG{signal}");
        return (process.ExitCode, await output, await errors);
    }

    private static void Send(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", $"{process.Id}"]);
        kill.WaitForExit();
    }
}
