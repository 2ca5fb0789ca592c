using System.ComponentModel;
using Harness.Core;
using Harness.Sessions;
using Harness.Training;

namespace Harness.Commands;

/// <summary>Settings of the commands that write a run directory (run, resume): how far it goes, on which device, and the request to the runner.</summary>
public abstract class RunWritingSettings : PluginDirectorySettings
{
    [CommandOption("--steps <N>"), Description("Run to step N (overrides run.steps; a resume goes on past the run's own length).")] public int? Steps { get; init; }
    [CommandOption("--device <DEVICE>"), Description("auto, cpu or cuda (default: the experiment's).")] public string? Device { get; init; }

    /// <summary>
    /// Runs the request, reporting progress to <paramref name="progress"/>; returns the run directory written, or throws
    /// <see cref="StoppedException"/> when <paramref name="stop"/> ended it early.
    /// </summary>
    public abstract Runs.RunDirectory Write(ExperimentRunner runner, IRunObserver progress, StopRequest stop);
}
