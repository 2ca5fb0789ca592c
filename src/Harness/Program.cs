using Harness.Hosting;
using Spectre.Console;

// Piped output is not cut to 80 columns: paths and hashes stay on one line.
if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 200;
return await HarnessApp.Create(new Terminal(AnsiConsole.Console, Console.Out, Console.Error)).RunAsync(args);
