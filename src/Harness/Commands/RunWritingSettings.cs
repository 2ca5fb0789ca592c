using System.ComponentModel;

namespace Harness.Commands;

/// <summary>Settings of the commands that write a run directory (run, resume): how far it goes and on which device.</summary>
public abstract class RunWritingSettings : PluginDirectorySettings
{
    [CommandOption("--steps <N>"), Description("Run to step N (overrides run.steps; a resume goes on past the run's own length).")] public int? Steps { get; init; }
    [CommandOption("--device <DEVICE>"), Description("auto, cpu or cuda (default: the experiment's).")] public string? Device { get; init; }
}
