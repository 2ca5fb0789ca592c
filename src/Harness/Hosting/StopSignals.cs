using System.Runtime.InteropServices;
using Harness.Core;

namespace Harness.Hosting;

/// <summary>
/// SIGTERM, SIGINT and SIGHUP become a <see cref="StopRequest"/>: the first lets long work stop at its next safe point
/// and save what it must; a second ends the process at once, with the first one's exit code.
/// </summary>
public static class StopSignals
{
    public static IDisposable Listen(StopRequest stop)
    {
        // Signals are counted apart from the request, which a parent's exit may have made (ParentWatch): only a second
        // signal ends the process at once.
        var received = 0;
        var registrations = new (PosixSignal Signal, string Name, int Number)[] { (PosixSignal.SIGTERM, "SIGTERM", 15), (PosixSignal.SIGINT, "SIGINT", 2), (PosixSignal.SIGHUP, "SIGHUP", 1) }
            .Select(s => PosixSignalRegistration.Create(s.Signal, context =>
            {
                context.Cancel = true;
                if (Interlocked.Increment(ref received) > 1) ExitNow(stop.IsRequested ? stop.ExitCode : 128 + s.Number);
                stop.Request(s.Name, 128 + s.Number);
            }))
            .ToArray();
        return new Registrations(registrations);
    }

    /// <summary>Ends the process without running exit handlers, which may wait on the very work being abandoned.</summary>
    private static void ExitNow(int code)
    {
        Console.Error.Flush();
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int code);

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }
}
