using System.Globalization;
using System.Text.Json;
using Harness.Abstractions;
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
    /// the directory already holds is replayed and compared with its line, never written twice. Ctrl+C stops at a step
    /// boundary with a checkpoint.
    /// </summary>
    public static void Run(RunDirectory run, ExperimentConfig config, GrpoTrainer trainer, int done, Progress progress,
        RunLogs logs, torch.Device device, IRunObserver observer, CancellationToken cancel)
    {
        var recorded = progress.Recorded;
        var last = config.Run.Steps;
        observer.Starting($"run {run.Root} on {device}", done + 1, last, progress.Shown);
        var mismatches = 0;
        for (var step = done + 1; step <= last; step++)
        {
            if (cancel.IsCancellationRequested)
            {
                if (step - 1 > done && (step - 1) % config.Run.CheckpointEvery != 0) SaveCheckpoint(run, trainer, step - 1);
                observer.Note($"Stopped after step {step - 1}; continue with `harness resume {run.Root}`.");
                return;
            }
            var outcome = trainer.Step(step);
            progress.History.Add(outcome.Metrics.Step, outcome.Metrics.Values);
            var verdicts = progress.Watch.Review(progress.History.ToSeries());
            logs.Completions.Append(step, outcome.Samples.Select(RunFile.Line));
            logs.Events.Append(step, [.. outcome.Fixes.Select(FixLine), .. verdicts.Select(VerdictLine)]);
            // A replayed step was announced when it first ran.
            var replayed = recorded.ContainsKey(step);
            foreach (var fix in outcome.Fixes.Where(_ => !replayed))
                observer.Note($"Fix '{fix.Plugin}' acted after step {fix.Step}: {fix.Reason} (learning rate {fix.LearningRate:G4}, β {fix.Beta:G4}).");
            foreach (var change in verdicts.Where(_ => !replayed))
                observer.Note($"{change.Detector}: {change.Report.Verdict} after step {change.Step}. {change.Report.Explanation}");
            if (logs.Metrics.Append(step, [RunFile.Line(outcome.Metrics)])) logs.TensorBoard.Write(outcome.Metrics);
            else if (recorded.TryGetValue(step, out var before)) mismatches += Compare(step, before, outcome.Metrics, observer);
            observer.StepDone(outcome.Metrics, last);
            // The aha moment's weights are kept: a checkpoint when the verdict first becomes aha.
            var ahaFound = verdicts.Any(v => v.Report.Verdict == "aha");
            var due = ahaFound || step % config.Run.CheckpointEvery == 0 || step == last;
            // A replayed step's checkpoint, when it survived intact, already holds these very weights.
            if (due && !(replayed && Checkpoint.IsIntact(Path.Combine(run.Checkpoints, Checkpoint.Name(step))))) SaveCheckpoint(run, trainer, step);
            if (due && step > logs.Probes.LastStep && trainer.Probe(step) is { } probe) logs.Probes.Append(step, [RunFile.Line(probe)]);
        }
        if (recorded.Count > 0 && mismatches == 0)
            observer.Note($"Replayed steps {recorded.Keys.Min()}–{recorded.Keys.Max()} matched the recorded metrics exactly.");
    }

    private static void SaveCheckpoint(RunDirectory run, GrpoTrainer trainer, int step) =>
        Checkpoint.Save(run.Checkpoints, new CheckpointState(step, trainer.LearningRateScale, trainer.Beta), trainer.Policy, trainer.Optimizer);

    private static string FixLine(FixEvent fix) => RunFile.Line(new RunEvent(fix.Step, RunEvent.Fix, fix.Plugin)
    {
        Reason = fix.Reason, LearningRate = fix.LearningRate, Beta = fix.Beta,
    });

    internal static string VerdictLine(VerdictChange change) => RunFile.Line(new RunEvent(change.Step, RunEvent.Verdict, change.Detector)
    {
        NewVerdict = change.Report.Verdict, Previous = change.Previous, Explanation = change.Report.Explanation, Values = change.Report.Values,
    });

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
