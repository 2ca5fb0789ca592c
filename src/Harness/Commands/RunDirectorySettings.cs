using System.ComponentModel;

namespace Harness.Commands;

/// <summary>Settings of the commands that work on a run directory.</summary>
public class RunDirectorySettings : PluginDirectorySettings
{
    [CommandArgument(0, "<run-dir>"), Description("The run directory, or another trainer's run (TRL, verl) or completions file.")] public string RunDirectory { get; init; } = "";
    [CommandOption("--format <FORMAT>"), Description("harness, trl, verl, openrlhf or completions (default: told by content).")] public string? Format { get; init; }
    [CommandOption("--pass-metric <NAME>"), Description("The series that is pass@1 on the hard held-out set, by its name in the run.")] public string? PassMetric { get; init; }
}
