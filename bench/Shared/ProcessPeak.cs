using System.Diagnostics;
using System.Globalization;

namespace Harness.Bench;

/// <summary>
/// Runs a command to its end and measures it from outside, the same way for every side: wall time, and the peak of the
/// resident memory of its whole process tree (the process and its children, such as a Python pool's workers), read
/// from /proc every 20 ms. Shared by the benchmarks (bench/Shared).
/// </summary>
public static class ProcessPeak
{
    public sealed record Measured(double Seconds, long PeakBytes, int ExitCode, string Output, string Error);

    public static Measured Run(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var peak = new Watch(process.Id);
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        return new Measured(seconds, peak.Peak, process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The peak resident memory of a process tree while it runs, sampled every 20 ms until disposed.</summary>
    public sealed class Watch : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public Watch(int root) => _timer = new Timer(_ => Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), TreeResident(root))), null, 0, 20);

        public long Peak => Interlocked.Read(ref _peak);

        /// <summary>Forgets the peak so far (a new phase of the measurement starts).</summary>
        public void Reset() => Interlocked.Exchange(ref _peak, 0);

        public void Dispose() => _timer.Dispose();
    }

    /// <summary>The resident memory of a process and all its descendants now.</summary>
    public static long TreeResident(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Field(Path.Combine(dir, "stat")) is { } stat)
            {
                // pid (comm) state ppid ...: the name may hold spaces, so read after its closing parenthesis.
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (rest.Length > 1 && int.TryParse(rest[1], out var ppid)) parents[pid] = ppid;
            }
        bool InTree(int pid)
        {
            for (var p = pid; p > 1; p = parents.GetValueOrDefault(p, 1))
                if (p == root) return true;
            return false;
        }
        return parents.Keys.Where(InTree).Sum(Resident);
    }

    private static long Resident(int pid)
    {
        var status = Field($"/proc/{pid}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string? Field(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
