using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>A line of errors.jsonl: one stop of a run on an error.</summary>
/// <param name="AfterStep">The last step completed.</param>
/// <param name="Time">When (UTC, ISO 8601).</param>
/// <param name="Message">The error as the user saw it.</param>
/// <param name="Plugin">For a plugin fault: the plugin, its kind and the call; null otherwise.</param>
public sealed record ErrorRecord(
    [property: JsonPropertyName("after_step")] int AfterStep,
    string Time,
    string Message,
    string? Plugin,
    string? Kind,
    string? Call);
