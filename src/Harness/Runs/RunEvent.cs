using System.Text.Json.Serialization;

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

    /// <summary>The first step a verdict showed (it is announced once it has held <c>run.verdictHold</c> steps).</summary>
    public int? Since { get; init; }

    /// <summary>How many steps the previous verdict held.</summary>
    public int? PreviousHeld { get; init; }

    public string? Signal { get; init; }

    public int? Completed { get; init; }

    public int? Abandoned { get; init; }

    public string? Checkpoint { get; init; }

    public double? Seconds { get; init; }
}
