using System.ComponentModel;
using Harness.Core;
using Harness.Experiments;
using Harness.Sessions;
using Harness.Training;

namespace Harness.Commands;

/// <summary><c>harness resume &lt;run-dir&gt; [--checkpoint step-000010] [--device D] [--steps N] [--plugins DIR]...</c></summary>
public sealed class ResumeSettings : RunWritingSettings
{
    [CommandArgument(0, "<run-dir>"), Description("The run directory to continue.")] public string RunDirectory { get; init; } = "";
    [CommandOption("--checkpoint <NAME>"), Description("Resume from this checkpoint folder (default: the newest).")] public string? Checkpoint { get; init; }

    public override Runs.RunDirectory Write(ExperimentRunner runner, IRunObserver progress, StopRequest stop) =>
        runner.Resume(RunDirectory, new ResumeOptions(Checkpoint, Device is null ? null : VariantName.Parse<DeviceChoice>(Device, "--device"), Steps, Directories), progress, stop);
}
