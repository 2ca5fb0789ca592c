using System.Text.RegularExpressions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The R1 layout of a completion: reasoning inside <c>&lt;think&gt;…&lt;/think&gt;</c>, then the final
/// answer inside <c>&lt;answer&gt;…&lt;/answer&gt;</c>. Compiled into each plugin that reads completions,
/// so every plugin splits a completion the same way.
/// </summary>
internal sealed partial record CompletionParts(
    int ThinkBlocks,
    int ThinkStart,
    int ThinkEnd,
    int AnswerBlocks,
    string? Answer,
    string TextAfterAnswer)
{
    /// <summary>Whether a closed think block exists.</summary>
    public bool HasThink => ThinkBlocks > 0;

    /// <summary>Whether a character offset lies inside the first think block's content.</summary>
    public bool IsInsideThink(int offset) => HasThink && offset >= ThinkStart && offset < ThinkEnd;

    public static CompletionParts Parse(string text)
    {
        var thinks = ThinkRegex().Matches(text);
        var answers = AnswerRegex().Matches(text);
        var first = thinks.Count > 0 ? thinks[0].Groups[1] : null;
        var last = answers.Count > 0 ? answers[^1] : null;
        return new CompletionParts(
            thinks.Count,
            first?.Index ?? -1,
            first is null ? -1 : first.Index + first.Length,
            answers.Count,
            last?.Groups[1].Value,
            last is null ? "" : text[(last.Index + last.Length)..]);
    }

    [GeneratedRegex(@"<think>(.*?)</think>", RegexOptions.Singleline)]
    private static partial Regex ThinkRegex();

    [GeneratedRegex(@"<answer>(.*?)</answer>", RegexOptions.Singleline)]
    private static partial Regex AnswerRegex();
}
