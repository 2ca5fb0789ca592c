using Harness.Commands;
using Harness.Hosting;
using Spectre.Console;

// Piped output is not cut to 80 columns: paths and hashes stay on one line.
if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 200;

// The first Ctrl+C asks long work to stop at the next step boundary (a run writes a checkpoint first);
// a second one ends the process at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (stop.IsCancellationRequested) return;
    e.Cancel = true;
    stop.Cancel();
};
return await HarnessApp.Create(new Terminal(AnsiConsole.Console, Console.Out, Console.Error)).RunAsync(args, stop.Token);
