using System.ComponentModel;
using Harness.Core;
using Harness.Runs;

namespace Harness.Commands;

/// <summary>
/// <c>harness export &lt;run-dir&gt; [--checkpoint step-N] --out DIR</c>: a checkpoint of a policy that saves its own
/// format (hf-causal-lm: a Hugging Face folder) copied to a folder of its own, without the optimizer's state. Reads the
/// run; never writes into it.
/// </summary>
public sealed class ExportCommand(Terminal terminal, StopRequest stop) : Command<ExportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<run-dir>"), Description("The run directory.")] public string RunDirectory { get; init; } = "";
        [CommandOption("--checkpoint <NAME>"), Description("The checkpoint folder to export, e.g. step-000040 (default: the newest).")] public string? Checkpoint { get; init; }
        [CommandOption("--out <DIR>"), Description("The folder to write (must not exist, or be empty).")] public string Out { get; init; } = "";

        public override ValidationResult Validate() => Out.Length == 0 ? ValidationResult.Error("--out is required.") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var run = RunDirectory.OpenExisting(settings.RunDirectory);
        var (_, folder) = Runs.Checkpoint.Choose(run, settings.Checkpoint);
        var target = Path.GetFullPath(settings.Out);
        try
        {
            Runs.Checkpoint.Export(folder, target, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsRequested)
        {
            throw stop.Stopped($"nothing was exported to {target} (the partial folder is removed); export again.");
        }
        terminal.Console.MarkupLineInterpolated($"[green]exported:[/] {Path.GetFileName(folder)} → {target}");
        return 0;
    }
}
