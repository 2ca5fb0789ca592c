using System.Globalization;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Experiments;
using Harness.Grpo;
using Harness.Plugins;
using Harness.Tasks;
using Harness.Training;
using TorchSharp;

namespace Harness.Runs;

/// <summary>
/// Runs an experiment into a run directory, or resumes one from its last checkpoint. Lines are appended
/// per step (completions and events, then metrics); checkpoints follow every <c>run.checkpointEvery</c>
/// steps. A resumed run replays the steps after its checkpoint, checks them against the metrics already
/// recorded, and appends only steps the directory does not hold yet.
/// </summary>
public static class RunSession
{
    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// Starts a new run; returns its directory. With <paramref name="lockedTo"/> (a manifest.json), every plugin
    /// must be the very file that manifest records, checked before anything is written.
    /// </summary>
    public static RunDirectory Start(ExperimentConfig config, string outDir, PluginCatalog catalog, IRunObserver observer, CancellationToken cancel, string? lockedTo = null)
    {
        var device = TorchDevices.Resolve(VariantName.Parse<DeviceChoice>(config.Device, "device"));
        var threads = TorchDevices.UseThreads(config.Run.Threads);
        var plugins = ExperimentPlugins.Resolve(config, catalog);
        if (lockedTo is not null) RunManifest.RequireLocked(lockedTo, plugins.Used);
        var tasks = TaskSet.Create(config.Tasks, config.Seed);
        var run = RunDirectory.CreateNew(outDir);
        using var writer = RunLock.Acquire(run);
        Directory.CreateDirectory(run.Checkpoints);
        WriteConfig(run, config);
        RunManifest.Write(run.Manifest, config, device.ToString(), threads, plugins.Used);
        Recording(run, () =>
        {
            using var logs = new RunLogs(JsonlLog.Create(run.Metrics), JsonlLog.Create(run.Completions), JsonlLog.Create(run.Events), JsonlLog.Create(run.Probes));
            using var trainer = new GrpoTrainer(config, plugins, ReferenceFactory(config, catalog), tasks, device, observer.Note);
            // Step 0 of the comparator: the policy before any update.
            if (trainer.Probe(0) is { } before) logs.Probes.Append(0, [before.ToJsonLine()]);
            var progress = new Progress(new MetricHistory(), new SeriesWatch(plugins.SeriesDetectors), new Dictionary<int, IReadOnlyDictionary<string, double?>>());
            Loop(run, config, trainer, 0, progress, logs, device, observer, cancel);
            observer.Note($"Report: {Reports.ReportWriter.Write(run, plugins.SeriesDetectors)}");
        });
        return run;
    }

    /// <summary>
    /// Continues a run from its newest checkpoint, or from <paramref name="checkpoint"/> (a folder name such as step-000010);
    /// with <paramref name="steps"/>, to that step, which becomes the run's length in its config.json.
    /// </summary>
    public static RunDirectory Resume(string runDir, string? checkpoint, string? deviceOverride, int? steps, PluginCatalogProvider catalogs, IRunObserver observer, CancellationToken cancel)
    {
        var run = RunDirectory.OpenExisting(runDir);
        using var writer = RunLock.Acquire(run);
        var config = ExperimentLoader.Load(run.Config);
        if (steps is { } length && length != config.Run.Steps)
        {
            var last = JsonlLog.LastCompleteStep(run.Metrics);
            if (length < Math.Max(last, 1))
                throw new HarnessException($"--steps {length} is shorter than what '{runDir}' already records (step {last}); a run is never cut back.");
            config.Run.Steps = length;
            WriteConfig(run, config);
        }
        var device = TorchDevices.Resolve(VariantName.Parse<DeviceChoice>(deviceOverride ?? config.Device, "--device"));
        TorchDevices.UseThreads(config.Run.Threads);
        var catalog = catalogs.Scan(config.PluginDirectories);
        var plugins = ExperimentPlugins.Resolve(config, catalog);
        foreach (var (plugin, _) in RunManifest.Mismatches(run.Manifest, plugins.Used))
            observer.Note($"Plugin {plugin.Name} ({PluginKinds.Label(plugin.Kind)}) differs from the one recorded in manifest.json; replayed steps will show whether results changed.");
        var tasks = TaskSet.Create(config.Tasks, config.Seed);
        using var trainer = new GrpoTrainer(config, plugins, ReferenceFactory(config, catalog), tasks, device, observer.Note);

        var available = Checkpoint.List(run.Checkpoints);
        if (available.Count == 0) throw new HarnessException($"Run '{runDir}' has no checkpoint to resume from; start it again with `harness run`.");
        var chosen = checkpoint is null ? available[^1] : available.FirstOrDefault(c => Path.GetFileName(c.Path) == checkpoint);
        if (chosen.Path is null)
            throw new HarnessException($"Run '{runDir}' has no checkpoint '{checkpoint}'. Checkpoints: {string.Join(", ", available.Select(c => Path.GetFileName(c.Path)))}.");
        CheckpointState state;
        try
        {
            state = Checkpoint.Load(chosen.Path, trainer.Model, trainer.Optimizer);
        }
        catch (HarnessException e)
        {
            var older = available.Where(c => c.Step < chosen.Step).Select(c => Path.GetFileName(c.Path)).ToArray();
            throw new HarnessException(e.Message + (older.Length > 0
                ? $" Older checkpoints are intact: {string.Join(", ", older)}; resume from one with --checkpoint {older[^1]}."
                : " There is no older checkpoint."), e);
        }
        trainer.LearningRateScale = state.LearningRateScale;
        trainer.Beta = state.Beta;

        var recordedThrough = JsonlLog.LastCompleteStep(run.Metrics);
        var written = MetricHistory.Read(run.Metrics, recordedThrough);
        var recorded = written.After(state.Step);
        var history = written.Through(state.Step);
        Recording(run, () =>
        {
            var watch = new SeriesWatch(plugins.SeriesDetectors);
            watch.Prime(history.ToSeries());
            using var logs = new RunLogs(JsonlLog.Reopen(run.Metrics, recordedThrough), JsonlLog.Reopen(run.Completions, recordedThrough),
                JsonlLog.Reopen(run.Events, recordedThrough), JsonlLog.Reopen(run.Probes, recordedThrough));
            if (recordedThrough > state.Step)
                observer.Note($"Resuming from {Path.GetFileName(chosen.Path)}; steps {state.Step + 1}–{recordedThrough} are already recorded and will be replayed and checked.");
            Loop(run, config, trainer, state.Step, new Progress(history, watch, recorded), logs, device, observer, cancel);
            observer.Note($"Report: {Reports.ReportWriter.Write(run, plugins.SeriesDetectors)}");
        });
        return run;
    }

    /// <summary>The resolved experiment as config.json, replaced atomically.</summary>
    private static void WriteConfig(RunDirectory run, ExperimentConfig config)
    {
        var partial = run.Config + ".partial";
        File.WriteAllText(partial, JsonSerializer.Serialize(config, ConfigJson));
        File.Move(partial, run.Config, overwrite: true);
    }

    /// <summary>The run's three logs, appended step by step.</summary>
    private sealed record RunLogs(JsonlLog Metrics, JsonlLog Completions, JsonlLog Events, JsonlLog Probes) : IDisposable
    {
        public void Dispose()
        {
            Metrics.Dispose();
            Completions.Dispose();
            Events.Dispose();
            Probes.Dispose();
        }
    }

    /// <summary>What the loop carries from step to step: the metrics so far, the series verdicts, and the lines recorded before a resume.</summary>
    private sealed record Progress(MetricHistory History, SeriesWatch Watch, IReadOnlyDictionary<int, IReadOnlyDictionary<string, double?>> Recorded);

    private static void Loop(RunDirectory run, ExperimentConfig config, GrpoTrainer trainer, int done, Progress progress,
        RunLogs logs, torch.Device device, IRunObserver observer, CancellationToken cancel)
    {
        var recorded = progress.Recorded;
        var last = config.Run.Steps;
        observer.Starting($"run {run.Root} on {device}", done + 1, last);
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
            progress.History.Add(outcome.Metrics);
            var verdicts = progress.Watch.Review(progress.History.ToSeries());
            logs.Completions.Append(step, outcome.Samples.Select(s => s.ToJsonLine()));
            logs.Events.Append(step, [.. outcome.Fixes.Select(FixLine), .. verdicts.Select(VerdictLine)]);
            // A replayed step was announced when it first ran.
            var replayed = recorded.ContainsKey(step);
            foreach (var fix in outcome.Fixes.Where(_ => !replayed))
                observer.Note($"Fix '{fix.Plugin}' acted after step {fix.Step}: {fix.Reason} (learning rate {fix.LearningRate:G4}, β {fix.Beta:G4}).");
            foreach (var change in verdicts.Where(_ => !replayed))
                observer.Note($"{change.Detector}: {change.Report.Verdict} after step {change.Step}. {change.Report.Explanation}");
            if (!logs.Metrics.Append(step, [outcome.Metrics.ToJsonLine()]) && recorded.TryGetValue(step, out var before))
                mismatches += Compare(step, before, outcome.Metrics, observer);
            observer.StepDone(outcome.Metrics, last);
            // The aha moment's weights are kept: a checkpoint when the verdict first becomes aha.
            var ahaFound = verdicts.Any(v => v.Report.Verdict == "aha");
            var due = ahaFound || step % config.Run.CheckpointEvery == 0 || step == last;
            // A replayed step's checkpoint, when it survived intact, already holds these very weights.
            if (due && !(replayed && Checkpoint.IsIntact(Path.Combine(run.Checkpoints, Checkpoint.Name(step))))) SaveCheckpoint(run, trainer, step);
            if (due && step > logs.Probes.LastStep && trainer.Probe(step) is { } probe) logs.Probes.Append(step, [probe.ToJsonLine()]);
        }
        if (recorded.Count > 0 && mismatches == 0)
            observer.Note($"Replayed steps {recorded.Keys.Min()}–{recorded.Keys.Max()} matched the recorded metrics exactly.");
    }

    /// <summary>
    /// Runs the part of a run that writes to its directory. An error there (a faulty plugin, a NaN loss, a bug) is
    /// appended to errors.jsonl; one the user can fix is explained with what the directory keeps and how to go on.
    /// </summary>
    private static void Recording(RunDirectory run, Action work)
    {
        try
        {
            work();
        }
        catch (HarnessException e)
        {
            var kept = Record(run, e);
            var checkpoints = Checkpoint.List(run.Checkpoints);
            var next = kept < 1 ? "no step was completed" : $"steps 1–{kept} are kept" + (checkpoints.Count > 0
                ? $", newest checkpoint {Path.GetFileName(checkpoints[^1].Path)}; after fixing the cause, `harness resume {run.Root}` goes on from it"
                : "");
            throw new HarnessException($"{e.Message} The run stopped after step {kept}; {next} (the error is in errors.jsonl).", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Record(run, e);
            throw;
        }
    }

    /// <summary>Appends the error to errors.jsonl (never truncated, unlike the per-step logs); returns the last complete step.</summary>
    private static int Record(RunDirectory run, Exception error)
    {
        var kept = JsonlLog.LastCompleteStep(run.Metrics);
        var call = error as PluginCallException;
        File.AppendAllText(run.Errors, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["after_step"] = kept, ["time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["message"] = error.Message,
            ["plugin"] = call?.Plugin, ["kind"] = call is null ? null : PluginKinds.Label(call.Kind), ["call"] = call?.Call,
        }, Commands.JsonOutput.Line) + "\n");
        return kept;
    }

    private static void SaveCheckpoint(RunDirectory run, GrpoTrainer trainer, int step) =>
        Checkpoint.Save(run.Checkpoints, new CheckpointState(step, trainer.LearningRateScale, trainer.Beta), trainer.Model, trainer.Optimizer);

    private static Func<IPolicy> ReferenceFactory(ExperimentConfig config, PluginCatalog catalog) =>
        () => catalog.Create<IPolicy>(PluginKind.Policy, config.Policy!.Name, config.Policy.Settings);

    private static string FixLine(FixEvent fix) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["step"] = fix.Step, ["kind"] = "fix", ["plugin"] = fix.Plugin, ["reason"] = fix.Reason, ["learning_rate"] = fix.LearningRate, ["beta"] = fix.Beta,
    }, Commands.JsonOutput.Line);

    private static string VerdictLine(VerdictChange change) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["step"] = change.Step, ["kind"] = "verdict", ["plugin"] = change.Detector, ["verdict"] = change.Report.Verdict,
        ["previous"] = change.Previous, ["explanation"] = change.Report.Explanation, ["values"] = change.Report.Values,
    }, Commands.JsonOutput.Line);

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
