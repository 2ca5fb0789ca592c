using System.ComponentModel;

namespace Harness.Commands;

/// <summary><c>harness resume &lt;run-dir&gt; [--checkpoint step-000010] [--device D] [--steps N] [--plugins DIR]...</c></summary>
public sealed class ResumeSettings : RunWritingSettings
{
    [CommandArgument(0, "<run-dir>"), Description("The run directory to continue.")] public string RunDirectory { get; init; } = "";
    [CommandOption("--checkpoint <NAME>"), Description("Resume from this checkpoint folder (default: the newest).")] public string? Checkpoint { get; init; }

}
