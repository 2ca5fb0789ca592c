using Harness.Core;
using Harness.Runs;
using Harness.Sessions;
using Harness.Training;

namespace Harness.Commands;

/// <summary>
/// <c>harness run</c> and <c>harness resume</c>: the request goes to the experiment runner with the progress bar, then
/// the directory is named.
/// </summary>
public abstract class RunWritingCommand<TSettings>(Terminal terminal) : Command<TSettings>
    where TSettings : RunWritingSettings
{
    public override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var run = Write(settings, new RunProgress(terminal, RunProgress.Grpo));
        terminal.Console.MarkupLineInterpolated($"[green]done:[/] {run.Root}");
        return 0;
    }

    /// <summary>Runs the request; returns the run directory written, or throws <see cref="StoppedException"/> when a stop ended it early.</summary>
    protected abstract RunDirectory Write(TSettings settings, IRunObserver progress);
}

/// <summary><c>harness run</c>: a new run of an experiment.</summary>
public sealed class RunCommand(Terminal terminal, ExperimentRunner runner, StopRequest stop) : RunWritingCommand<RunSettings>(terminal)
{
    protected override RunDirectory Write(RunSettings settings, IRunObserver progress)
    {
        string?[] options = [settings.Steps is { } steps ? $"run.steps={steps}" : null, settings.Device is { } device ? $"device={device}" : null];
        var config = ExperimentSettings.Load(settings.Experiment, [.. settings.Overrides, .. options.OfType<string>()], settings.Directories);
        return runner.Start(config, settings.Out, settings.Locked, progress, stop);
    }
}

/// <summary><c>harness resume</c>: a run continued from a checkpoint.</summary>
public sealed class ResumeCommand(Terminal terminal, ExperimentRunner runner, StopRequest stop) : RunWritingCommand<ResumeSettings>(terminal)
{
    protected override RunDirectory Write(ResumeSettings settings, IRunObserver progress) =>
        runner.Resume(settings.RunDirectory, new ResumeOptions(settings.Checkpoint,
            settings.Device is null ? null : VariantName.Parse<Experiments.DeviceChoice>(settings.Device, "--device"), settings.Steps, settings.Directories), progress, stop);
}
