using System.ComponentModel;

namespace Harness.Commands;

/// <summary>Settings of the commands that read a run and print what they find, for people or as JSON.</summary>
public class RunReadingSettings : RunDirectorySettings
{
    [CommandOption("--json"), Description("Print one JSON object instead of tables.")] public bool Json { get; init; }
}
