using Harness.Core;
using Harness.Sessions;

namespace Harness.Commands;

/// <summary>
/// <c>harness run</c> and <c>harness resume</c>: one command that hands its request (<see cref="RunSettings"/>,
/// <see cref="ResumeSettings"/>) to the experiment runner with the progress bar, then names the directory.
/// </summary>
public sealed class RunWritingCommand<TSettings>(Terminal terminal, ExperimentRunner runner, StopRequest stop) : Command<TSettings>
    where TSettings : RunWritingSettings
{
    public override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var run = settings.Write(runner, new RunProgress(terminal, RunProgress.Grpo), stop);
        terminal.Console.MarkupLineInterpolated($"[green]done:[/] {run.Root}");
        return 0;
    }
}
