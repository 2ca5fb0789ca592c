using System.ComponentModel;
using Spectre.Console.Cli;

namespace Harness.Commands;

/// <summary>Settings of the commands that work on a run directory.</summary>
public class RunDirectorySettings : PluginDirectorySettings
{
    [CommandArgument(0, "<run-dir>"), Description("The run directory.")] public string RunDirectory { get; init; } = "";
}
