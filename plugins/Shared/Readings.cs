using Harness.Abstractions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The host's reading of each completion (contract 1.6: its final answer and reasoning), taken from what a plugin is
/// handed. Plugins never find the answer themselves, so all of them agree with the experiment's answer format.
/// </summary>
internal static class Readings
{
    public static CompletionReading Of(PromptGroup group, int completion) =>
        completion < group.Readings.Count
            ? group.Readings[completion]
            : throw new InvalidOperationException($"The host gave no reading of completion {completion} (PromptGroup.Readings, contract 1.6).");

    public static CompletionReading Of(ScoredCompletion completion) =>
        completion.Reading ?? throw new InvalidOperationException("The host gave no reading of a completion (ScoredCompletion.Reading, contract 1.6).");

    /// <summary>The reasoning's text; empty when the completion has none where its layout asks for a think block.</summary>
    public static string Reasoning(string text, CompletionReading reading) =>
        reading.Reasoning is { } range ? text.Substring(range.Start, range.Length) : "";

    /// <summary>Whether a character offset lies in the reasoning.</summary>
    public static bool InReasoning(CompletionReading reading, int offset) => reading.Reasoning?.Contains(offset) == true;
}
