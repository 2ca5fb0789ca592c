using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>
/// A line of events.jsonl: after a step, a fix strategy acted (<see cref="Fix"/>: why, and the learning rate and β it
/// left) or a series detector's verdict changed (<see cref="Verdict"/>: the new verdict, the previous one, why, and
/// the values behind it).
/// </summary>
[JsonConverter(typeof(RunEventJsonConverter))]
public sealed record RunEvent(int Step, string Kind, string Plugin)
{
    public const string Fix = "fix";
    public const string Verdict = "verdict";

    public string? Reason { get; init; }

    public double? LearningRate { get; init; }

    public double? Beta { get; init; }

    public string? NewVerdict { get; init; }

    public string? Previous { get; init; }

    public string? Explanation { get; init; }

    public IReadOnlyDictionary<string, double>? Values { get; init; }
}
