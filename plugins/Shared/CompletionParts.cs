namespace Harness.Plugins.Shared;

/// <summary>
/// The R1 layout of a completion: reasoning inside <c>&lt;think&gt;…&lt;/think&gt;</c>, then the final
/// answer inside <c>&lt;answer&gt;…&lt;/answer&gt;</c>. Compiled into each plugin that reads completions,
/// so every plugin splits a completion the same way.
/// </summary>
internal sealed record CompletionParts(
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

    /// <summary>
    /// The parts of a completion: the blocks are what <c>&lt;think&gt;(.*?)&lt;/think&gt;</c> and <c>&lt;answer&gt;(.*?)&lt;/answer&gt;</c>
    /// (single-line mode) match, found with plain searches for the tags (a completion is parsed by most rewards and
    /// detectors; a property test holds this to the patterns).
    /// </summary>
    public static CompletionParts Parse(string text)
    {
        var thinks = Blocks(text, "<think>", "</think>");
        var answers = Blocks(text, "<answer>", "</answer>");
        var last = answers.Count > 0 ? answers[^1] : default;
        return new CompletionParts(
            thinks.Count,
            thinks.Count > 0 ? thinks[0].Start : -1,
            thinks.Count > 0 ? thinks[0].End : -1,
            answers.Count,
            answers.Count > 0 ? text[last.Start..last.End] : null,
            answers.Count > 0 ? text[(last.End + "</answer>".Length)..] : "");
    }

    /// <summary>The content (start, end) of each block, leftmost first, a block ending at the first closing tag after its opening.</summary>
    private static List<(int Start, int End)> Blocks(string text, string open, string close)
    {
        var blocks = new List<(int, int)>();
        for (var at = 0; ;)
        {
            var start = text.IndexOf(open, at, StringComparison.Ordinal);
            if (start < 0) return blocks;
            var end = text.IndexOf(close, start + open.Length, StringComparison.Ordinal);
            if (end < 0) return blocks;
            blocks.Add((start + open.Length, end));
            at = end + close.Length;
        }
    }
}
