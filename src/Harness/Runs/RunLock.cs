using System.Diagnostics;
using System.Globalization;

namespace Harness.Runs;

/// <summary>
/// The one writer of a run directory: an exclusive OS lock on <c>writer.lock</c>, held by a run or a resume for
/// its whole life. The kernel drops it when the process ends however it ends (kill -9 included), so a stale
/// lock never blocks the next resume. Readers (detect, doctor, report, regress --run) never take it.
/// Who holds it is in <c>writer.json</c>, since the locked file itself cannot be read by another process.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _lock;

    private RunLock(FileStream held) => _lock = held;

    /// <summary>Takes the lock, or refuses, naming the directory and the process that holds it, before anything is written.</summary>
    /// <exception cref="HarnessException">Another process writes this run directory.</exception>
    public static RunLock Acquire(RunDirectory run)
    {
        FileStream held;
        try
        {
            // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows: both end with the process.
            held = new FileStream(run.WriterLock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (File.Exists(run.WriterLock))
        {
            throw new HarnessException($"Run directory '{run.Root}' is being written by {Holder(run)}; a run directory has one writer at a time. " +
                "Nothing was written. Wait for that process to finish (or stop it), then resume.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException($"Run directory '{run.Root}' cannot be locked for writing ({run.WriterLock}): {e.Message}", e);
        }
        using var process = Process.GetCurrentProcess();
        var writer = new WriterRecord(Environment.ProcessId, Environment.MachineName, string.Join(' ', Environment.GetCommandLineArgs()),
            process.StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        RunFile.WriteIndented(run.Writer, writer);
        return new RunLock(held);
    }

    private static string Holder(RunDirectory run)
    {
        try
        {
            var writer = RunFile.Read<WriterRecord>(run.Writer, "writer record");
            return $"process {writer.Pid} on {writer.Host} (`{writer.Command}`, started {writer.Started})";
        }
        catch (HarnessException)
        {
            // Who holds it is a courtesy; that someone does is what the lock says.
        }
        return "another process";
    }

    public void Dispose() => _lock.Dispose();
}
