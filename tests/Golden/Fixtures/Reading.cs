using Harness.Abstractions;
using Harness.Answers;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>Completions read as the host reads them, for tests that hand plugins their input directly.</summary>
internal static class Reading
{
    /// <summary>R1-Zero's layout (answer tags, a think block required), as the shipped arithmetic experiments read completions.</summary>
    public static readonly CompletionReader R1 = new(AnswerFormat.Tags, ThinkLayout.Required);

    public static PromptGroup Group(string prompt, IReadOnlyDictionary<string, string> task, IReadOnlyList<string> texts, CompletionReader? reader = null) =>
        new(prompt, task, texts) { Readings = [.. texts.Select(text => (reader ?? R1).Read(text, prompt))] };

    public static ScoredCompletion Scored(ScoredCompletion completion, CompletionReader? reader = null) =>
        completion with { Reading = (reader ?? R1).Read(completion.Text, completion.Prompt) };

    /// <summary>A detector's input: the completions read, and the reader's answer for ablations.</summary>
    public static DetectorInput Input(int step, IEnumerable<ScoredCompletion> completions, CompletionReader? reader = null) =>
        new(step, [.. completions.Select(c => Scored(c, reader))]) { AnswerReached = (reader ?? R1).Reached };
}
