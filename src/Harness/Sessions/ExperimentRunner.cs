using Harness.Abstractions;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Pretraining;
using Harness.Runs;
using Harness.Tasks;
using Harness.Training;
using TorchSharp;

namespace Harness.Sessions;

/// <summary>How <see cref="ExperimentRunner.Resume"/> continues a run.</summary>
/// <param name="Checkpoint">The checkpoint folder to start from (e.g. step-000010); null for the newest.</param>
/// <param name="Device">The device; null for the run's own.</param>
/// <param name="Steps">The step to go on to, past the run's own length; null for its length.</param>
/// <param name="PluginDirectories">Plugin folders to search besides the run's own.</param>
public sealed record ResumeOptions(string? Checkpoint = null, DeviceChoice? Device = null, int? Steps = null, IReadOnlyList<string>? PluginDirectories = null);

/// <summary>
/// Runs experiments: a new run into a new run directory, a resumed one from a checkpoint, and pretraining. The one
/// service behind <c>run</c>, <c>resume</c>, <c>regress</c> and <c>pretrain</c>: each loads its input, then asks here.
/// A run holds its directory's <see cref="RunLock"/> from before it writes anything until it ends.
/// </summary>
public sealed class ExperimentRunner(PluginCatalogProvider catalogs)
{
    /// <summary>
    /// Starts a new run of a loaded experiment into <paramref name="outDir"/> (default <c>runs/&lt;name&gt;-&lt;time&gt;</c>).
    /// With <paramref name="lockedTo"/> (a manifest.json), every plugin must be the very file that manifest records,
    /// checked before anything is written.
    /// </summary>
    public RunDirectory Start(ExperimentConfig config, string? outDir, string? lockedTo, IRunObserver observer, StopRequest stop)
    {
        var setup = Setup.Of(config, config.Device, [], catalogs);
        if (lockedTo is not null) RunManifest.RequireLocked(lockedTo, setup.Plugins.Used);
        setup.CheckMemory(observer);
        var run = RunDirectory.CreateNew(outDir ?? Path.Combine("runs", $"{config.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        using var writer = RunLock.Acquire(run);
        Directory.CreateDirectory(run.Checkpoints);
        WriteConfig(run, config);
        RunManifest.Write(run.Manifest, config, setup.Device.ToString(), setup.Threads, setup.Plugins.Used);
        var completed = 0;
        RunRecording.Guard(run, () =>
        {
            using var logs = RunLogs.Create(run);
            using var trainer = setup.NewTrainer(observer.Note);
            // Step 0 of the comparator: the policy before any update.
            if (trainer.Probe(0) is { } before) logs.Probes.Append(0, [RunFile.Line(before)]);
            var progress = new RunLoop.Progress(new MetricHistory(), new SeriesWatch(setup.Plugins.SeriesDetectors, config.Run.VerdictHold), new Dictionary<int, IReadOnlyDictionary<string, double?>>(), setup.Shown);
            completed = RunLoop.Run(run, config, trainer, 0, progress, logs, setup.Device, observer, stop);
            observer.Note($"Report: {setup.Report(run)}");
        });
        return Finished(run, completed, config, stop);
    }

    /// <summary>
    /// Continues a run from its newest checkpoint, or the one <paramref name="options"/> names; with a step count, to that
    /// step, which becomes the run's length in its config.json. Works from any directory: config.json is resolved.
    /// </summary>
    public RunDirectory Resume(string runDir, ResumeOptions options, IRunObserver observer, StopRequest stop)
    {
        var run = RunDirectory.OpenExisting(runDir);
        using var writer = RunLock.Acquire(run);
        var config = ExperimentLoader.Load(run.Config);
        var recordedThrough = JsonlLog.LastCompleteStep(run.Metrics);
        if (options.Steps is { } length && length != config.Run.Steps)
        {
            if (length < Math.Max(recordedThrough, 1))
                throw new HarnessException($"--steps {length} is shorter than what '{runDir}' already records (step {recordedThrough}); a run is never cut back.");
            config.Run.Steps = length;
            WriteConfig(run, config);
        }
        var setup = Setup.Of(config, options.Device ?? config.Device, options.PluginDirectories ?? [], catalogs);
        foreach (var (plugin, _) in RunManifest.Mismatches(run.Manifest, setup.Plugins.Used))
            observer.Note($"Plugin {plugin.Name} ({PluginKinds.Label(plugin.Kind)}) differs from the one recorded in manifest.json; replayed steps will show whether results changed.");
        setup.CheckMemory(observer);
        using var trainer = setup.NewTrainer(observer.Note);
        var (chosen, state) = LoadCheckpoint(run, options.Checkpoint, trainer);
        trainer.LearningRateScale = state.LearningRateScale;
        trainer.Beta = state.Beta;

        var written = MetricHistory.Read(run.Metrics, recordedThrough);
        var history = written.Through(state.Step);
        var completed = state.Step;
        RunRecording.Guard(run, () =>
        {
            var watch = new SeriesWatch(setup.Plugins.SeriesDetectors, config.Run.VerdictHold);
            watch.Prime(history);
            using var logs = RunLogs.Reopen(run, recordedThrough);
            if (recordedThrough > state.Step)
                observer.Note($"Resuming from {chosen}; steps {state.Step + 1}–{recordedThrough} are already recorded and will be replayed and checked.");
            completed = RunLoop.Run(run, config, trainer, state.Step, new RunLoop.Progress(history, watch, written.After(state.Step), setup.Shown), logs, setup.Device, observer, stop);
            observer.Note($"Report: {setup.Report(run)}");
        });
        return Finished(run, completed, config, stop);
    }

    /// <summary>Builds a base model from a loaded pretraining recipe.</summary>
    public PretrainResult Pretrain(PretrainRecipe recipe, IRunObserver observer, StopRequest stop) =>
        Pretrainer.Run(recipe, catalogs.Scan([]), observer, stop);

    /// <summary>The run, when it ran to its length; else the stop, saying what is kept (its report is written either way).</summary>
    private static RunDirectory Finished(RunDirectory run, int completed, ExperimentConfig config, StopRequest stop) =>
        completed >= config.Run.Steps ? run
        : throw stop.Stopped((completed == 0 ? "no step was completed" : $"steps 1–{completed} of {config.Run.Steps} are kept")
            + $" in {run.Root}, with checkpoint {Checkpoint.Name(completed)}; continue with `harness resume {run.Root}`.");

    /// <summary>Everything a run needs before it writes: device and threads, its plugins and its tasks.</summary>
    private sealed record Setup(ExperimentConfig Config, torch.Device Device, int Threads, PluginCatalog Catalog, ExperimentPlugins Plugins, TaskSet Tasks)
    {
        public static Setup Of(ExperimentConfig config, DeviceChoice device, IEnumerable<string> extraPluginDirectories, PluginCatalogProvider catalogs)
        {
            var resolved = TorchDevices.Resolve(device);
            var threads = TorchDevices.UseThreads(config.Run.Threads);
            var catalog = catalogs.Scan(config.PluginDirectories.Concat(extraPluginDirectories));
            return new Setup(config, resolved, threads, catalog, ExperimentPlugins.Resolve(config, catalog), TaskSet.Create(config.Tasks, config.Seed));
        }

        /// <summary>The metrics the run's own detectors declare for the progress line.</summary>
        public IReadOnlyList<MetricInfo> Shown => [.. Declared(Plugins.Detectors).Concat(Declared(Plugins.SeriesDetectors)).Where(m => m is { OnProgressLine: true })];

        private static IEnumerable<MetricInfo> Declared<T>(IEnumerable<PluginHandle<T>> plugins) where T : class =>
            plugins.SelectMany(p => p.Call("Outputs", instance => (instance as IDeclaresOutputs)?.Outputs, mayReturnNull: true)?.Metrics ?? []);

        /// <summary>Writes the run's report.html.</summary>
        public string Report(RunDirectory run) =>
            Reports.ReportWriter.Write(LoadedRun.Open(run.Root), Plugins.SeriesDetectors, DeclaredOutputs.Of(Config, Catalog), run.Report);

        /// <summary>Prints the memory estimate of a training run (of a policy that declares its activations) and refuses one that cannot fit the machine (on the CPU; a GPU's memory is not known here).</summary>
        public void CheckMemory(IRunObserver observer)
        {
            if (MemoryEstimate.Of(Config, Plugins, Tasks) is not { } estimate) return;
            var available = MemoryEstimate.Available();
            // Printed for policies that declare their activations: for the others the estimate is weights alone.
            if (estimate.Activations is not null) observer.Note(estimate.Describe(available));
            if (Device.type == DeviceType.CPU) estimate.RequireFits(available);
        }

        /// <summary>The trainer; a fresh instance of the policy plugin becomes its frozen reference when one is needed.</summary>
        public GrpoTrainer NewTrainer(Action<string> warn) =>
            new(Config, Plugins, () => Catalog.Create<IPolicy>(PluginKind.Policy, Config.Policy!.Name, Config.Policy.Settings), Tasks, Device, warn);
    }

    private static (string Name, CheckpointState State) LoadCheckpoint(RunDirectory run, string? name, GrpoTrainer trainer)
    {
        var available = Checkpoint.List(run.Checkpoints);
        if (available.Count == 0) throw new HarnessException($"Run '{run.Root}' has no checkpoint to resume from; start it again with `harness run`.");
        var chosen = Checkpoint.Choose(run, name);
        try
        {
            return (Path.GetFileName(chosen.Path), Checkpoint.Load(chosen.Path, trainer.Policy, trainer.Optimizer));
        }
        catch (HarnessException e)
        {
            var older = available.Where(c => c.Step < chosen.Step).Select(c => Path.GetFileName(c.Path)).ToArray();
            throw new HarnessException(e.Message + (older.Length > 0
                ? $" Older checkpoints are intact: {string.Join(", ", older)}; resume from one with --checkpoint {older[^1]}."
                : " There is no older checkpoint."), e);
        }
    }

    /// <summary>The resolved experiment as config.json, replaced atomically.</summary>
    private static void WriteConfig(RunDirectory run, ExperimentConfig config)
    {
        var partial = run.Config + ".partial";
        RunFile.WriteIndented(partial, config);
        File.Move(partial, run.Config, overwrite: true);
    }
}
