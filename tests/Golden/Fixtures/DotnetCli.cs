using System.Diagnostics;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>Runs the <c>dotnet</c> command line as a user would, in its own process, for tests of the plugin SDK.</summary>
public static class DotnetCli
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs <c>dotnet args</c> in <paramref name="directory"/>; fails the test, with everything it printed, unless it exits 0.</summary>
    public static string Run(string directory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = Try(directory, args, environment);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"`dotnet {string.Join(' ', args)}` in {directory} exited {result.ExitCode}:\n{result.Output}");
        return result.Output;
    }

    public static Result Try(string directory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // `dotnet test` hands its MSBuild settings to the test process; a nested build must find its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`dotnet {string.Join(' ', args)}` did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, output.Result + error.Result);
    }
}
