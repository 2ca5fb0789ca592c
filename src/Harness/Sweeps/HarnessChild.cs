using System.Diagnostics;

namespace Harness.Sweeps;

/// <summary>
/// A <c>harness</c> command run as a child process: the same build as this one (the apphost, or <c>dotnet harness.dll</c>),
/// its output appended to a log file, and its standard input a pipe whose end stops it (<c>HARNESS_STOP_WITH_PARENT</c>), so
/// it stops with its parent however the parent ends.
/// </summary>
public sealed class HarnessChild : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();

    private HarnessChild(Process process, StreamWriter log) => (_process, _log) = (process, log);

    public static HarnessChild Start(IReadOnlyList<string> arguments, string logFile)
    {
        var (file, prefix) = Self();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in prefix.Concat(arguments)) start.ArgumentList.Add(argument);
        start.Environment["HARNESS_STOP_WITH_PARENT"] = "1";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        log.WriteLine($"== {DateTime.Now:yyyy-MM-dd HH:mm:ss} harness {string.Join(' ', arguments)}");
        var process = new Process { StartInfo = start };
        var child = new HarnessChild(process, log);
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        if (!process.Start()) throw new HarnessException($"Could not start {file}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public Task Exited => _process.WaitForExitAsync();

    /// <summary>Asks the child to stop at its next safe point, as a signal would (it checkpoints and exits 129).</summary>
    public void Stop()
    {
        try { _process.StandardInput.Close(); }
        catch (IOException) { }
    }

    /// <summary>The log's last lines, for an error message.</summary>
    public static string Tail(string logFile, int lines = 5) =>
        File.Exists(logFile) ? string.Join('\n', File.ReadLines(logFile).TakeLast(lines)) : "";

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_gate) _log.WriteLine(line);
    }

    /// <summary>How to start this very harness: the apphost itself, or the dotnet host with harness.dll.</summary>
    private static (string File, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        if (Path.GetFileNameWithoutExtension(process) == "harness") return (process, []);
        var dotnet = Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (dotnet, [typeof(HarnessChild).Assembly.Location]);
    }

    public void Dispose()
    {
        _process.WaitForExit();
        _process.Dispose();
        lock (_gate) _log.Dispose();
    }
}
