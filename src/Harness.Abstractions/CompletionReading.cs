namespace Harness.Abstractions;

/// <summary>
/// One completion as the host reads it with the experiment's answer format and layout (contract 1.6): where its final
/// answer and its reasoning sit. The host reads each completion once; rewards and detectors take the answer and the
/// reasoning from here rather than parsing the text themselves, so every plugin agrees on what the answer is.
/// </summary>
/// <param name="Answer">The final answer as the experiment's answer format finds it, or null when it finds none.</param>
/// <param name="Reasoning">
/// Where the reasoning sits: the think block's content (a block the prompt opened starts at the text's start; one left
/// unclosed, as when generation stops at the token limit, runs to the answer or the end); in a completion without think
/// tags, the text before the final answer, unless the layout requires a think block, when it is null.
/// </param>
/// <param name="Think">The completion's think block: none, opened and never closed, or closed (R1's format).</param>
/// <param name="ThinkRequired">Whether the experiment's layout asks for a think block (R1-Zero's template does; a <c>\boxed{}</c> template does not).</param>
public sealed record CompletionReading(FinalAnswer? Answer, TextRange? Reasoning, ThinkBlock Think, bool ThinkRequired);

/// <summary>A completion's think block.</summary>
public enum ThinkBlock
{
    /// <summary>No think tags.</summary>
    None,
    /// <summary><c>&lt;think&gt;</c> without its closing tag, as when generation stops at the token limit.</summary>
    Unclosed,
    /// <summary>A closed block; also a <c>&lt;/think&gt;</c> alone, closing the block the prompt opened.</summary>
    Closed,
}

/// <summary>A completion's final answer.</summary>
/// <param name="Text">The answer as written, without its markup: the content of <c>&lt;answer&gt;…&lt;/answer&gt;</c> or of the last <c>\boxed{}</c>, what follows <c>####</c>.</param>
/// <param name="Span">Where <paramref name="Text"/> sits in the completion.</param>
/// <param name="Markup">Where the answer with its markup sits (the tags, the box, the <c>####</c> or "The answer is").</param>
/// <param name="Format">The answer format that found it: <c>tags</c>, <c>boxed</c>, <c>gsm8k</c>, <c>answer-is</c>, <c>last-number</c> or <c>choice</c>.</param>
public sealed record FinalAnswer(string Text, TextRange Span, TextRange Markup, string Format);

/// <summary>A stretch of a completion's text.</summary>
/// <param name="Start">Offset of its first character.</param>
/// <param name="Length">Its length in characters.</param>
public sealed record TextRange(int Start, int Length)
{
    /// <summary>The offset just past its last character.</summary>
    public int End => Start + Length;

    /// <summary>Whether a character offset lies inside it.</summary>
    /// <param name="offset">A character offset in the completion.</param>
    /// <returns><c>true</c> when <c>Start &lt;= offset &lt; End</c>.</returns>
    public bool Contains(int offset) => offset >= Start && offset < End;
}
