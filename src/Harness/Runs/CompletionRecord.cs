using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>
/// A line of completions.jsonl: one sampled completion, how it was scored and what the detectors flagged. Its advantage
/// is null where none was computed (another trainer's dump that logs none, scanned without its gold answers).
/// </summary>
public sealed record CompletionRecord(
    int Step,
    int Group,
    string Prompt,
    string Completion,
    [property: JsonPropertyName("tokens")] int TokenCount,
    bool Truncated,
    double Reward,
    IReadOnlyDictionary<string, double> Terms,
    double? Advantage,
    IReadOnlyList<string> Flags)
{
    /// <summary>The gold answer, when the source records it (another trainer's dump); our runs keep it in the task.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gold { get; init; }

    /// <summary>The final answer as the run's answer format found it (the content of its box or answer tags); null when it found none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Answer { get; init; }
}
