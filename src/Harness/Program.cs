using Harness.Commands;
using Harness.Core;
using Harness.Hosting;
using Spectre.Console;

// Piped output is not cut to 80 columns: paths and hashes stay on one line.
if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 200;

// SIGTERM (a cluster's preemption), SIGINT (Ctrl+C) and SIGHUP ask long work to stop at its next safe point: a run
// saves a checkpoint of its last completed step and exits 128 + the signal. A second signal ends the process at once.
var stop = new StopRequest();
using var signals = StopSignals.Listen(stop);
// A sweep's runs stop, as if signalled, when the sweep that started them ends.
ParentWatch.Start(stop);
return await HarnessApp.Create(new Terminal(AnsiConsole.Console, Console.Out, Console.Error), stop: stop).RunAsync(args, stop.Token);
