using System.Text.RegularExpressions;
using Harness.Abstractions;
using Harness.Core;

namespace Harness.Answers;

/// <summary>
/// Finds a completion's final answer in one <see cref="AnswerFormat"/>: the answer's text, where it sits, and where its
/// markup sits. Plain searches from the end of the text where they can be (every scanned or served completion passes
/// here), regular expressions for the phrase and number formats.
/// </summary>
public static partial class AnswerFinder
{
    /// <summary>The order <see cref="AnswerFormat.Auto"/> tries formats in.</summary>
    public static readonly AnswerFormat[] AutoOrder = [AnswerFormat.Tags, AnswerFormat.Boxed, AnswerFormat.Gsm8k, AnswerFormat.AnswerIs, AnswerFormat.LastNumber];

    public static FinalAnswer? Find(string text, AnswerFormat format) => format switch
    {
        AnswerFormat.Tags => Tags(text),
        AnswerFormat.Boxed => Boxed(text),
        AnswerFormat.Gsm8k => Gsm8k(text),
        AnswerFormat.AnswerIs => AnswerIs(text),
        AnswerFormat.LastNumber => LastNumber(text),
        AnswerFormat.Choice => Choice(text),
        _ => AutoOrder.Select(f => Find(text, f)).FirstOrDefault(answer => answer is not null),
    };

    private static FinalAnswer Answer(string text, int start, int end, int markupStart, int markupEnd, AnswerFormat format) =>
        new(text[start..end], new TextRange(start, end - start), new TextRange(markupStart, markupEnd - markupStart), VariantName.Of(format));

    /// <summary>The last <c>&lt;answer&gt;…&lt;/answer&gt;</c> block, blocks taken leftmost first, each closed by the first closing tag after it.</summary>
    private static FinalAnswer? Tags(string text)
    {
        const string open = "<answer>", close = "</answer>";
        int last = -1, lastEnd = -1;
        for (var at = 0; ;)
        {
            var start = text.IndexOf(open, at, StringComparison.Ordinal);
            if (start < 0) break;
            var end = text.IndexOf(close, start + open.Length, StringComparison.Ordinal);
            if (end < 0) break;
            (last, lastEnd) = (start, end);
            at = end + close.Length;
        }
        return last < 0 ? null : Answer(text, last + open.Length, lastEnd, last, lastEnd + close.Length, AnswerFormat.Tags);
    }

    /// <summary>
    /// The last closed <c>\boxed{…}</c> or <c>\fbox{…}</c> (a brace-less <c>\boxed 5</c> takes the next word), with the boxes
    /// just before it when only a separator or a few characters lie between ("\boxed{1}, \boxed{2}" is "1,2").
    /// </summary>
    private static FinalAnswer? Boxed(string text)
    {
        var box = LastBox(text, text.Length);
        if (box is not { } last) return null;
        var first = last;
        var contents = new List<string> { text[last.ContentStart..last.ContentEnd].Trim() };
        while (LastBox(text, first.Start) is { } previous && Adjacent(text.AsSpan(previous.End, first.Start - previous.End)))
        {
            var content = text[previous.ContentStart..previous.ContentEnd].Trim();
            if (content != contents[0]) contents.Insert(0, content);
            first = previous;
        }
        var answer = string.Join(",", contents);
        return new FinalAnswer(answer, new TextRange(first.ContentStart, last.ContentEnd - first.ContentStart),
            new TextRange(first.Start, last.End - first.Start), VariantName.Of(AnswerFormat.Boxed));
    }

    private readonly record struct Box(int Start, int ContentStart, int ContentEnd, int End);

    /// <summary>The last box starting before <paramref name="limit"/> that closes before it.</summary>
    private static Box? LastBox(string text, int limit)
    {
        for (var from = limit; from > 0;)
        {
            var boxed = text.LastIndexOf("\\boxed", from - 1, StringComparison.Ordinal);
            var fbox = text.LastIndexOf("\\fbox", from - 1, StringComparison.Ordinal);
            var start = Math.Max(boxed, fbox);
            if (start < 0) return null;
            var command = start + (start == boxed ? 6 : 5);
            var at = command;
            while (at < limit && text[at] == ' ') at++;
            if (at < limit && text[at] == '{')
            {
                var close = ClosingBrace(text, at, limit);
                if (close >= 0) return new Box(start, at + 1, close, close + 1);
            }
            else if (at < limit && (at > command || char.IsAsciiDigit(text[at]) || text[at] == '-') && !char.IsWhiteSpace(text[at]))
            {
                // "\boxed 5": the next word is the answer.
                var end = at;
                while (end < limit && !char.IsWhiteSpace(text[end]) && text[end] is not '$' and not '<') end++;
                while (end > at && text[end - 1] is '.' or ',' or ';') end--;
                if (end > at) return new Box(start, at, end, end);
            }
            from = start;
        }
        return null;
    }

    private static int ClosingBrace(string text, int open, int limit)
    {
        var depth = 0;
        for (var i = open; i < limit; i++)
        {
            var c = text[i];
            if (c == '\\') i++;
            else if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }

    private static bool Adjacent(ReadOnlySpan<char> between) => between.Length < 10 || (between.Length < 70 && BoxSeparator().IsMatch(between));

    /// <summary>What follows the last <c>####</c>, to the end of its line.</summary>
    private static FinalAnswer? Gsm8k(string text)
    {
        var mark = text.LastIndexOf("####", StringComparison.Ordinal);
        if (mark < 0) return null;
        var start = mark + 4;
        while (start < text.Length && text[start] is '#' or ' ' or '\t') start++;
        var lineEnd = text.IndexOf('\n', start);
        var end = lineEnd < 0 ? text.Length : lineEnd;
        while (end > start && (char.IsWhiteSpace(text[end - 1]) || text[end - 1] == '.')) end--;
        return end > start ? Answer(text, start, end, mark, end, AnswerFormat.Gsm8k) : null;
    }

    /// <summary>What follows the last "The answer is", "The final answer is", "Final Answer:" or "Answer:", to the end of its sentence.</summary>
    private static FinalAnswer? AnswerIs(string text)
    {
        var phrase = AnswerPhrase().Match(text);
        if (!phrase.Success) return null;
        var start = phrase.Index + phrase.Length;
        var sentence = SentenceEnd().Match(text, start);
        var end = sentence.Success ? sentence.Index : text.Length;
        while (end > start && (char.IsWhiteSpace(text[end - 1]) || text[end - 1] is '.' or '*')) end--;
        while (start < end && text[start] is '*' or ' ') start++;
        return end > start ? Answer(text, start, end, phrase.Index, end, AnswerFormat.AnswerIs) : null;
    }

    /// <summary>The last number: "-12", "3.5", "1,000", "3/4" or <c>\frac{3}{4}</c>.</summary>
    private static FinalAnswer? LastNumber(string text)
    {
        var number = Number().Match(text);
        return number.Success ? Answer(text, number.Index, number.Index + number.Length, number.Index, number.Index + number.Length, AnswerFormat.LastNumber) : null;
    }

    /// <summary>A choice letter A–E, in the most explicit place it is given: a box, "answer is", a marked letter, a line of its own.</summary>
    private static FinalAnswer? Choice(string text)
    {
        if (Boxed(text) is { } boxed && ChoiceAlone().Match(boxed.Text) is { Success: true } inBox)
        {
            var at = boxed.Span.Start + inBox.Groups[1].Index;
            return Answer(text, at, at + 1, boxed.Markup.Start, boxed.Markup.End, AnswerFormat.Choice);
        }
        foreach (var pattern in new[] { ChoiceAfterPhrase(), ChoiceMarked(), ChoiceLine() })
        {
            var match = pattern.Match(text);
            if (!match.Success) continue;
            var letter = match.Groups[1];
            return Answer(text, letter.Index, letter.Index + 1, match.Index, match.Index + match.Length, AnswerFormat.Choice);
        }
        return null;
    }

    [GeneratedRegex(@"\b(?:and|or)\b|[,;]")]
    private static partial Regex BoxSeparator();

    [GeneratedRegex(@"(?:final\s+answer|answer)\s*(?:is\s*:?|:)\s*", RegexOptions.IgnoreCase | RegexOptions.RightToLeft)]
    private static partial Regex AnswerPhrase();

    // A sentence ends at a line break, at ". " before a capital or a new sentence, or at "I hope".
    [GeneratedRegex(@"\n|\.\s+(?=[A-Z\n])|\s+I hope\b")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"(?:(?<=^|[\s=(:$\[{])-)?(?:\\[dt]?frac\{-?\d+(?:\.\d+)?\}\{\d+(?:\.\d+)?\}|\d+(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?|\.\d+)", RegexOptions.RightToLeft)]
    private static partial Regex Number();

    [GeneratedRegex(@"^\s*(?:\\text(?:bf)?\{\s*)?\(?([A-E])\)?\s*\}?\s*$")]
    private static partial Regex ChoiceAlone();

    [GeneratedRegex(@"(?i:answer)\s*(?:is|:)\s*:?\s*(?:\$|\*\*|\\text(?:bf)?\{)?\s*\(?([A-E])(?![A-Za-z])", RegexOptions.RightToLeft)]
    private static partial Regex ChoiceAfterPhrase();

    [GeneratedRegex(@"(?:\\text(?:bf)?\{\s*\(?|\*\*\(?|\()([A-E])(?:\)\s*\}|\}|\)?\*\*|\))", RegexOptions.RightToLeft)]
    private static partial Regex ChoiceMarked();

    [GeneratedRegex(@"(?:^|\n)\s*\(?([A-E])[.)]?\s*(?=\n|$)", RegexOptions.RightToLeft)]
    private static partial Regex ChoiceLine();
}
