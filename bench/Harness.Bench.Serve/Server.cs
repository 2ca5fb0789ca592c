using System.Diagnostics;

namespace Harness.Bench.Serve;

/// <summary>A reward server started for the benchmark: its address once it listens, and its process to measure and stop.</summary>
public sealed class Server : IDisposable
{
    private Server(Process process, Uri address) => (Process, Address) = (process, address);

    public Process Process { get; }

    public Uri Address { get; }

    /// <summary>Starts a command that prints "listening: URL" when it listens.</summary>
    public static Server Start(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("listening: ", StringComparison.Ordinal))
            {
                // Keep reading stdout so the server never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
                return new Server(process, new Uri(line["listening: ".Length..]));
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) break;
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"{file} did not start listening");
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
        Process.Dispose();
    }
}
