using System.Globalization;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Core;
using Harness.Experiments;
using Harness.Runs;
using Harness.Training;
using TorchSharp;

namespace Harness.Sessions;

/// <summary>The step loop of a run, shared by a new run and a resumed one.</summary>
internal static class RunLoop
{
    /// <summary>
    /// What the loop carries from step to step: the metrics so far, the series verdicts, the lines recorded before a resume,
    /// and the plugins' metrics the progress line shows.
    /// </summary>
    public sealed record Progress(MetricHistory History, SeriesWatch Watch, IReadOnlyDictionary<int, IReadOnlyDictionary<string, double?>> Recorded, IReadOnlyList<MetricInfo> Shown);

    /// <summary>
    /// Steps <paramref name="done"/> + 1 through <c>run.steps</c>: each step's completions and events, then its metrics line,
    /// then a checkpoint when one is due (every <c>run.checkpointEvery</c> steps, the last, and the first <c>aha</c>). A step
    /// the directory already holds is replayed and compared with its line, never written twice. A stop request ends the
    /// loop after the step in progress, or abandons that step before its update (<see cref="GrpoTrainer.Step"/>); then
    /// <see cref="Interrupt"/> keeps the last completed step.
    /// </summary>
    /// <returns>The last completed step (the run's length when nothing stopped it).</returns>
    public static int Run(RunDirectory run, ExperimentConfig config, GrpoTrainer trainer, int done, Progress progress,
        RunLogs logs, torch.Device device, IRunObserver observer, StopRequest stop)
    {
        var recorded = progress.Recorded;
        var last = config.Run.Steps;
        observer.Starting($"run {run.Root} on {device}", done + 1, last, progress.Shown);
        var mismatches = 0;
        // The newest step whose checkpoint this loop wrote or found intact: a stop after it need not hash it again.
        int? kept = null;
        bool Kept(int step) => step == kept || step == done && HasIntactCheckpoint(run, done);
        for (var step = done + 1; step <= last; step++)
        {
            if (stop.IsRequested) return Interrupt(run, trainer, step - 1, null, Kept(step - 1), logs, stop, observer);
            StepOutcome outcome;
            try
            {
                outcome = trainer.Step(step, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsRequested)
            {
                return Interrupt(run, trainer, step - 1, step, Kept(step - 1), logs, stop, observer);
            }
            progress.History.Add(outcome.Metrics.Step, outcome.Metrics.Values);
            var verdicts = progress.Watch.Review(progress.History.ToSeries(), last: step == last);
            logs.Completions.Append(step, outcome.Samples.Select(RunFile.Line));
            logs.Events.Append(step, [.. outcome.Fixes.Select(FixLine), .. verdicts.Select(VerdictLine)]);
            // A replayed step was announced when it first ran.
            var replayed = recorded.ContainsKey(step);
            foreach (var fix in outcome.Fixes.Where(_ => !replayed))
                observer.Note($"Fix '{fix.Plugin}' acted after step {fix.Step}: {fix.Reason} (learning rate {fix.LearningRate:G4}, β {fix.Beta:G4}).");
            foreach (var change in verdicts.Where(_ => !replayed))
                observer.Note($"{change.Detector}: {change.Report.Verdict} after step {change.Step}{Held(change)}. {change.Report.Explanation}");
            if (logs.Metrics.Append(step, [RunFile.Line(outcome.Metrics)])) logs.TensorBoard.Write(outcome.Metrics);
            else if (recorded.TryGetValue(step, out var before)) mismatches += Compare(step, before, outcome.Metrics, observer);
            observer.StepDone(outcome.Metrics, last);
            // The aha moment's weights are kept: a checkpoint when the verdict first becomes aha.
            var ahaFound = verdicts.Any(v => v.Report.Verdict == "aha");
            var due = ahaFound || step % config.Run.CheckpointEvery == 0 || step == last;
            // A replayed step's checkpoint, when it survived intact, already holds these very weights.
            if (due && !(replayed && HasIntactCheckpoint(run, step))) SaveCheckpoint(run, trainer, step);
            if (due) kept = step;
            if (due && step > logs.Probes.LastStep && trainer.Probe(step) is { } probe) logs.Probes.Append(step, [RunFile.Line(probe)]);
        }
        if (recorded.Count > 0 && mismatches == 0)
            observer.Note($"Replayed steps {recorded.Keys.Min()}–{recorded.Keys.Max()} matched the recorded metrics exactly.");
        return last;
    }

    /// <summary>
    /// A stopped run keeps its last completed step: a checkpoint of it unless one is on disk (so a preempted run loses
    /// at most the step in progress), and an <c>interrupted</c> event saying what stopped it, which step was abandoned
    /// and how long stopping took. <c>resume</c> then goes on as after a crash.
    /// </summary>
    private static int Interrupt(RunDirectory run, GrpoTrainer trainer, int completed, int? abandoned, bool kept, RunLogs logs, StopRequest stop, IRunObserver observer)
    {
        if (!kept) SaveCheckpoint(run, trainer, completed);
        var seconds = stop.SinceRequested.TotalSeconds;
        // After a replayed step the file may already hold later steps: the event goes last, at the file's last step.
        var at = Math.Max(completed, logs.Events.LastStep);
        logs.Events.AppendToLast(at, [RunFile.Line(RunEvent.Interruption(at, stop, completed, abandoned, Checkpoint.Name(completed)))]);
        observer.Note($"{stop.Cause}: stopped after step {completed}" + (abandoned is { } a ? $" (step {a} abandoned before its update)" : "")
            + $"; checkpoint {Checkpoint.Name(completed)}" + (kept ? " was already on disk" : " written") + $", {seconds:F1} s after the signal.");
        return completed;
    }

    private static bool HasIntactCheckpoint(RunDirectory run, int step) => Checkpoint.IsIntact(Path.Combine(run.Checkpoints, Checkpoint.Name(step)));

    private static string SaveCheckpoint(RunDirectory run, GrpoTrainer trainer, int step) =>
        Checkpoint.Save(run.Checkpoints, new CheckpointState(step, trainer.LearningRateScale, trainer.Beta), trainer.Policy, trainer.Optimizer);

    private static string FixLine(FixEvent fix) => RunFile.Line(new RunEvent(fix.Step, RunEvent.Fix, fix.Plugin)
    {
        Reason = fix.Reason, LearningRate = fix.LearningRate, Beta = fix.Beta,
    });

    internal static string VerdictLine(VerdictChange change) => RunFile.Line(new RunEvent(change.Step, RunEvent.Verdict, change.Detector)
    {
        NewVerdict = change.Report.Verdict, Since = change.Since, Previous = change.Previous, PreviousHeld = change.PreviousHeld,
        Explanation = change.Report.Explanation, Values = change.Report.Values,
    });

    /// <summary>How long the verdicts held, for the console: e.g. <c> (since step 63; no-aha held 40 steps)</c>.</summary>
    private static string Held(VerdictChange change) =>
        change.Previous is null ? "" : $" (since step {change.Since}; {change.Previous} held {change.PreviousHeld} step{(change.PreviousHeld == 1 ? "" : "s")})";

    private static int Compare(int step, IReadOnlyDictionary<string, double?> before, StepMetrics now, IRunObserver observer)
    {
        var differing = now.Values
            .Where(kv => !StepMetrics.TimingFields.Contains(kv.Key))
            .Where(kv => !before.TryGetValue(kv.Key, out var old) || old != kv.Value)
            .Select(kv => kv.Key)
            .ToArray();
        if (differing.Length > 0)
            observer.Note($"Replayed step {step.ToString(CultureInfo.InvariantCulture)} differs from the recorded line in: {string.Join(", ", differing)}. The recorded line is kept.");
        return differing.Length > 0 ? 1 : 0;
    }
}
