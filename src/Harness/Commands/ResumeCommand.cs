using System.ComponentModel;
using Harness.Hosting;
using Harness.Plugins;
using Harness.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Commands;

/// <summary><c>harness resume &lt;run-dir&gt; [--checkpoint step-000010] [--device D] [--steps N]</c></summary>
public sealed class ResumeCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<ResumeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<run-dir>")]
        [Description("The run directory to continue.")]
        public string RunDirectory { get; init; } = "";

        [CommandOption("--checkpoint <NAME>")]
        [Description("Resume from this checkpoint folder (default: the newest).")]
        public string? Checkpoint { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("auto, cpu or cuda (default: the run's).")]
        public string? Device { get; init; }

        [CommandOption("--steps <N>")]
        [Description("Continue to step N, past the run's own length (run.steps in its config.json is raised to N).")]
        public int? Steps { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var run = RunSession.Resume(settings.RunDirectory, settings.Checkpoint, settings.Device, settings.Steps, catalogs,
            new RunProgress(terminal, RunProgress.Grpo), cancellationToken);
        terminal.Console.MarkupLineInterpolated($"[green]done:[/] {run.Root}");
        return 0;
    }
}
