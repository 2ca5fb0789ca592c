using System.Diagnostics;

namespace Harness.Core;

/// <summary>
/// A request to stop long work early: a signal from the system (SIGTERM when a cluster preempts, SIGINT from Ctrl+C,
/// SIGHUP when the terminal closes), or none. Long work watches <see cref="Token"/> at points where stopping loses
/// nothing written, saves what it must, then calls <see cref="Stopped"/>.
/// </summary>
public sealed class StopRequest
{
    private readonly CancellationTokenSource _source = new();
    private readonly Stopwatch _since = new();
    private readonly Lock _gate = new();

    public CancellationToken Token => _source.Token;

    public bool IsRequested => _source.IsCancellationRequested;

    /// <summary>What asked (e.g. <c>SIGTERM</c>); null until asked.</summary>
    public string? Cause { get; private set; }

    /// <summary>The exit code a process stopped this way ends with: 128 + the signal's number (143 for SIGTERM, 130 for SIGINT).</summary>
    public int ExitCode { get; private set; }

    /// <summary>The time since the request, for what stopping took.</summary>
    public TimeSpan SinceRequested => _since.Elapsed;

    /// <summary>Asks long work to stop; false when it was asked already (a second signal).</summary>
    public bool Request(string cause, int exitCode)
    {
        lock (_gate)
        {
            if (IsRequested) return false;
            (Cause, ExitCode) = (cause, exitCode);
            _since.Start();
        }
        _source.Cancel();
        return true;
    }

    /// <summary>The exception that ends a command stopped early, once what it keeps is written.</summary>
    /// <param name="kept">What was kept and how to go on, e.g. <c>steps 1–13 are kept; continue with `harness resume runs/x`</c>.</param>
    public StoppedException Stopped(string kept) => new($"{Cause} after {SinceRequested.TotalSeconds:F1} s: {kept}", ExitCode);
}

/// <summary>A command stopped early on request; its message says what was kept. Never an error of the run (it is not recorded in errors.jsonl).</summary>
public sealed class StoppedException(string message, int exitCode) : OperationCanceledException(message)
{
    public int ExitCode { get; } = exitCode;
}
