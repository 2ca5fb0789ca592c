using System.Text.Json.Serialization;
using Harness.Core;

namespace Harness.Runs;

/// <summary>
/// A line of events.jsonl: after a step, a fix strategy acted (<see cref="Fix"/>: why, and the learning rate and β it
/// left), a series detector's verdict changed (<see cref="Verdict"/>: the new verdict, the step it first showed, the
/// previous one and how many steps that held, why, and the values behind it), or the run was stopped by a signal
/// (<see cref="Interrupted"/>: which, the last completed step, the step abandoned, the checkpoint kept, the seconds
/// stopping took).
/// </summary>
[JsonConverter(typeof(RunEventJsonConverter))]
public sealed record RunEvent(int Step, string Kind, string Plugin)
{
    public const string Fix = "fix";
    public const string Verdict = "verdict";
    public const string Interrupted = "interrupted";

    public string? Reason { get; init; }

    public double? LearningRate { get; init; }

    public double? Beta { get; init; }

    public string? NewVerdict { get; init; }

    public string? Previous { get; init; }

    public string? Explanation { get; init; }

    public IReadOnlyDictionary<string, double>? Values { get; init; }

    /// <summary>
    /// The first step a verdict showed (it is announced once it has held <c>run.verdictHold</c> steps; a run's first
    /// verdict, and one still waiting at its last step, at once).
    /// </summary>
    public int? Since { get; init; }

    /// <summary>How many steps the previous verdict held.</summary>
    public int? PreviousHeld { get; init; }

    public string? Signal { get; init; }

    public int? Completed { get; init; }

    public int? Abandoned { get; init; }

    public string? Checkpoint { get; init; }

    public double? Seconds { get; init; }

    /// <summary>The line saying a signal stopped the run, written at <paramref name="step"/> (the log's last).</summary>
    /// <param name="step">The step the line is filed under.</param>
    /// <param name="stop">The stop: which signal, and when it came.</param>
    /// <param name="completed">The last step completed.</param>
    /// <param name="abandoned">The step given up before its update, if one was in flight.</param>
    /// <param name="checkpoint">The checkpoint that holds <paramref name="completed"/>, for a training run.</param>
    public static RunEvent Interruption(int step, StopRequest stop, int completed, int? abandoned = null, string? checkpoint = null) =>
        new(step, Interrupted, "harness")
        {
            Signal = stop.Cause, Completed = completed, Abandoned = abandoned, Checkpoint = checkpoint, Seconds = Math.Round(stop.SinceRequested.TotalSeconds, 3),
        };
}
