using System.Diagnostics;
using Harness.Core;
using Harness.Runs;

namespace Harness.Sweeps;

/// <summary>How the runs of a sweep went in this invocation.</summary>
/// <param name="Skipped">Runs already finished before it began.</param>
/// <param name="Failed">Runs whose process ended in error, with the log to read.</param>
/// <param name="RunSeconds">The runs' own wall time, summed (each child process from start to exit).</param>
/// <param name="WallSeconds">The whole invocation's wall time.</param>
public sealed record SweepProgress(int Skipped, int Ran, IReadOnlyList<string> Failed, double RunSeconds, double WallSeconds);

/// <summary>
/// Runs a sweep's grid as ordinary run directories, <paramref name="parallel"/> at a time, each a <c>harness run</c> (or
/// <c>harness resume</c>) child process with libtorch's threads split so the runs share the cores without oversubscribing
/// them. A finished run is skipped; a started one resumes from its newest checkpoint, or starts again when it has none (its
/// folder kept beside, as <c>…incomplete-N</c>). A stop request stops every child at its next safe point (each writes a
/// checkpoint) and the sweep goes on from there when run again.
/// </summary>
public sealed class SweepScheduler(string folder, SweepPlan plan, int parallel, IReadOnlyList<string> pluginDirectories, Action<string> report)
{
    /// <summary>How often the runs in flight say how far they are.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    /// <summary>libtorch threads per run: the cores shared out, at least one each.</summary>
    public int ThreadsPerRun => Math.Max(1, Environment.ProcessorCount / parallel);

    public SweepProgress Run(StopRequest stop)
    {
        var clock = Stopwatch.StartNew();
        var runs = plan.Runs;
        var pending = new Queue<(SweepRun Run, int Index)>(runs.Select((r, i) => (r, i)).Where(x => SweepRunState.Of(Dir(x.r)) != SweepRunStatus.Finished));
        var skipped = runs.Count - pending.Count;
        if (skipped > 0) report($"{skipped} of {runs.Count} runs already finished; {pending.Count} to go.");
        var running = new List<(SweepRun Run, int Index, HarnessChild Child, Stopwatch Clock)>();
        var failed = new List<string>();
        double runSeconds = 0;
        var ran = 0;
        var lastNote = Stopwatch.StartNew();
        try
        {
            while (pending.Count > 0 || running.Count > 0)
            {
                while (!stop.IsRequested && running.Count < parallel && pending.TryDequeue(out var next))
                    running.Add((next.Run, next.Index, Launch(next.Run, next.Index, runs.Count), Stopwatch.StartNew()));
                if (running.Count == 0) break;
                Task.WaitAny([.. running.Select(r => r.Child.Exited)], stop.IsRequested ? Timeout.Infinite : 500);
                if (lastNote.Elapsed >= ProgressEvery && !stop.IsRequested)
                {
                    lastNote.Restart();
                    report("  running: " + string.Join("; ", running.Select(r =>
                        $"{r.Run.Variant.Name}, seed {r.Run.Seed} at step {JsonlLog.LastCompleteStep(Path.Combine(Dir(r.Run), "metrics.jsonl"))} after {(int)r.Clock.Elapsed.TotalMinutes}:{r.Clock.Elapsed.Seconds:D2}")));
                }
                if (stop.IsRequested) foreach (var r in running) r.Child.Stop();
                foreach (var done in running.Where(r => r.Child.HasExited).ToArray())
                {
                    running.Remove(done);
                    runSeconds += done.Clock.Elapsed.TotalSeconds;
                    var code = done.Child.ExitCode;
                    done.Child.Dispose();
                    var label = Label(done.Run, done.Index, runs.Count);
                    if (code == 0) { ran++; report($"{label}: finished in {done.Clock.Elapsed.TotalSeconds:F0} s"); }
                    else if (stop.IsRequested) report($"{label}: stopped at its last completed step (exit {code})");
                    else
                    {
                        failed.Add($"{done.Run.Directory} (exit {code}; see {Log(done.Run)})");
                        report($"{label}: failed with exit {code}; the end of {Log(done.Run)}:\n{HarnessChild.Tail(Log(done.Run))}");
                    }
                }
            }
        }
        finally
        {
            foreach (var r in running) { r.Child.Stop(); r.Child.Dispose(); }
        }
        if (stop.IsRequested)
            throw stop.Stopped($"{ran} runs finished in this sweep, every started one stopped at a checkpoint; run the same command again to go on.");
        return new SweepProgress(skipped, ran, failed, runSeconds, clock.Elapsed.TotalSeconds);
    }

    private HarnessChild Launch(SweepRun run, int index, int count)
    {
        var dir = Dir(run);
        var plugins = pluginDirectories.SelectMany(p => new[] { "--plugins", p }).ToArray();
        string[] arguments;
        switch (SweepRunState.Of(dir))
        {
            case SweepRunStatus.Resumable:
                report($"{Label(run, index, count)}: resuming {run.Directory}");
                arguments = ["resume", dir, .. plugins];
                break;
            case SweepRunStatus.Restartable:
                var aside = Enumerable.Range(1, int.MaxValue).Select(n => $"{dir}.incomplete-{n}").First(d => !Directory.Exists(d));
                Directory.Move(dir, aside);
                report($"{Label(run, index, count)}: {run.Directory} stopped before its first checkpoint; kept as {Path.GetFileName(aside)}, starting again");
                goto default;
            default:
                report($"{Label(run, index, count)}: starting {run.Directory}");
                string[] threads = parallel > 1 ? ["--set", $"run.threads={ThreadsPerRun}"] : [];
                arguments = ["run", plan.Experiment, "--out", dir, .. plan.Overrides(run).SelectMany(o => new[] { "--set", o }), .. threads, .. plugins];
                break;
        }
        return HarnessChild.Start(arguments, Log(run));
    }

    private string Dir(SweepRun run) => Path.Combine(folder, run.Directory);

    private string Log(SweepRun run) => Path.Combine(folder, "logs", $"{run.Variant.Folder}-seed-{run.Seed}.log");

    private static string Label(SweepRun run, int index, int count) => $"[{index + 1}/{count}] {run.Variant.Name}, seed {run.Seed}";
}
