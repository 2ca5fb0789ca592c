using Harness.Commands;
using Harness.Core;
using Harness.Hosting;
using Spectre.Console.Testing;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>Runs the real harness command line in-process and captures what it writes.</summary>
public static class HarnessRunner
{
    public sealed record Result(int ExitCode, string Console, string Out, string Error);

    /// <param name="args">The command line.</param>
    /// <param name="settings">Configuration, as harness.json would give it.</param>
    /// <param name="stop">Stands for the process's signals: a test requests it to stop the command.</param>
    public static Result Run(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null, StopRequest? stop = null)
    {
        var console = new TestConsole().Width(200);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = HarnessApp.Create(new Terminal(console, output, error), settings, stop).Run(args);
        return new Result(code, console.Output, output.ToString(), error.ToString());
    }
}
