using System.Text.RegularExpressions;

namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// An answer or a gold as written (plain, LaTeX, in <c>$…$</c> or <c>\boxed{}</c>) cleaned into the LaTeX the parser
/// reads: the last box's content, math delimiters, sizing and spacing commands, degrees, trailing units and unit words,
/// currency, "and"/"or" between items, percent words, and the fraction and text command variants reduced to one form.
/// The rules follow what Math-Verify's normaliser does (latex2sympy2_extended's <c>math_normalization.py</c>), in our
/// own words; where they differ the README says why.
/// </summary>
public static partial class AnswerLatex
{
    public static string Clean(string text)
    {
        var t = text.Trim();
        // A GSM8K solution given whole (as a gold or an answer): what follows its last "####".
        if (t.Contains("####", StringComparison.Ordinal)) t = t[(t.LastIndexOf("####", StringComparison.Ordinal) + 4)..].Trim();
        // Each rule runs only when the text has the character or word it looks for: most answers are short and plain.
        if (t.Contains('\\'))
        {
            if (t.Contains("\\boxed", StringComparison.Ordinal) || t.Contains("\\fbox", StringComparison.Ordinal)) t = LastBoxes(t);
            t = LatexCommands.Apply(t);
            if (t.Contains("\\begin", StringComparison.Ordinal)) t = Environments().Replace(t, " ");
            if (t.Contains("\\text", StringComparison.Ordinal))
            {
                t = TextConnective().Replace(t, ",");
                // As Math-Verify reads them: \text{percent} is a percent sign, any other percent inside \text{} ("25\text{\%}",
                // "33\text{ percent}") is dropped; "25 percent" and "25\%" are percentages.
                t = PercentCommand().Replace(t, "\\%");
                t = PercentText().Replace(t, "");
                t = t.Replace("\\text{}", "").Replace("\\text{th}", "");
            }
        }
        else if (t.Contains('~')) t = LatexCommands.Apply(t);
        if (t.Contains('$')) t = t.Replace("$", " ");
        if (t.AsSpan().IndexOfAny('\n', '\t', '\r') >= 0) t = t.Replace("\n", " ").Replace("\t", " ").Replace("\r", " ");
        if (t.Contains('&') && !t.Contains("matrix", StringComparison.Ordinal) && !t.Contains("{array}", StringComparison.Ordinal)) t = t.Replace("&", "");
        if (t.Contains("{,}", StringComparison.Ordinal)) t = t.Replace("{,}", ",");
        if (t.Contains('°')) t = t.Replace("°", "");
        if (t.Contains("and", StringComparison.Ordinal) || t.Contains("or", StringComparison.Ordinal)) t = Connective().Replace(t, ",");
        if (t.Contains("perc", StringComparison.Ordinal) || t.Contains("pct", StringComparison.Ordinal)) t = PercentWord().Replace(t, "\\%");
        if (t.Contains("inf", StringComparison.Ordinal)) t = Infinity().Replace(t, "\\infty");
        if (t.AsSpan().IndexOfAny(QuoteMarks) >= 0) t = Quotes().Replace(t, "");
        t = t.Trim();
        if (t.Length > 0 && t[0] is '=' or ':' or '≈' or '\\') t = LeadingRelation().Replace(t, "");
        t = TrimTrailingPunctuation(Units.Strip(TrimTrailingPunctuation(t)));
        if (t.StartsWith('.')) t = "0" + t;
        return t.Contains(' ') && IsProse(t) && LastNumber().Match(t) is { Success: true } number ? number.Value : t;
    }

    private const string QuoteMarks = "\"“”'‘’";

    private static string TrimTrailingPunctuation(string t)
    {
        var end = t.Length;
        while (end > 0 && (char.IsWhiteSpace(t[end - 1]) || t[end - 1] is '.' or ',' or ';' or ':')) end--;
        return end == t.Length ? t : t[..end];
    }

    /// <summary>
    /// A sentence rather than mathematics ("It takes 7 days"): two or more words of three letters or more outside commands.
    /// Its last number is then the answer, as Math-Verify's fallback to plain numbers finds it.
    /// </summary>
    private static bool IsProse(string t) => ProseWord().Count(t) >= 2;

    /// <summary>
    /// The content of the last <c>\boxed{…}</c> or <c>\fbox{…}</c>, with boxes just before it joined by commas when only a
    /// separator ("," "and" "or") or a few characters lie between them; an unclosed or brace-less box runs to the end.
    /// </summary>
    private static string LastBoxes(string text)
    {
        var parts = new List<string>();
        var limit = text.Length;
        var previousStart = -1;
        while (true)
        {
            var boxed = text.LastIndexOf("\\boxed", limit - 1 < 0 ? 0 : limit - 1, StringComparison.Ordinal);
            var fbox = text.LastIndexOf("\\fbox", limit - 1 < 0 ? 0 : limit - 1, StringComparison.Ordinal);
            var start = Math.Max(boxed, fbox);
            if (start < 0 || limit <= 0) break;
            var open = start + (boxed > fbox ? 6 : 5);
            while (open < limit && char.IsWhiteSpace(text[open])) open++;
            if (open >= limit || text[open] != '{')
            {
                if (parts.Count == 0) parts.Add(text[open..limit].Trim());
                break;
            }
            var close = MatchingBrace(text, open, limit);
            if (close < 0)
            {
                if (parts.Count == 0) parts.Add(text[(open + 1)..limit]);
                break;
            }
            if (previousStart >= 0 && !Adjacent(text[(close + 1)..previousStart])) break;
            var content = text[(open + 1)..close].Trim();
            if (parts.Count == 0 || parts[^1] != content) parts.Add(content);
            previousStart = start;
            limit = start;
        }
        if (parts.Count == 0) return text;
        parts.Reverse();
        return string.Join(",", parts);
    }

    private static bool Adjacent(string between) => between.Length < 10 || (between.Length < 70 && Separator().IsMatch(between));

    /// <summary>The index of the brace closing the one at <paramref name="open"/>, or -1.</summary>
    public static int MatchingBrace(string text, int open, int limit)
    {
        var depth = 0;
        for (var i = open; i < limit; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }

    // Display environments around an answer (align, equation, gather, cases markers), not matrices.
    [GeneratedRegex(@"\\(?:begin|end)\{(?:align|aligned|equation|gather|gathered|split|eqnarray|multline|displaymath|math)\*?\}")]
    private static partial Regex Environments();

    // A leading "=", "≈" or "~" before the answer ("= 7", "\approx 8.0").
    [GeneratedRegex(@"^(?:=|:=|\\approx|\\sim|≈|~)\s*")]
    private static partial Regex LeadingRelation();

    [GeneratedRegex(@"(?<=^|\s)[A-Za-z]{3,}(?=$|[\s.,;:!?])")]
    private static partial Regex ProseWord();

    [GeneratedRegex(@"-?\d+(?:,\d{3})*(?:\.\d+)?(?:\s*/\s*\d+)?", RegexOptions.RightToLeft)]
    private static partial Regex LastNumber();

    // "1\,000" and "1\;000": a thin space between digit groups of three is a thousands separator.
    [GeneratedRegex(@",?\s*\\text\s*\{\s*(?:and|or)\s*\}\s*")]
    private static partial Regex TextConnective();

    [GeneratedRegex(@"(?<![a-zA-Z\\])(?:,?\s*(?:and|or))(?![a-zA-Z])")]
    private static partial Regex Connective();

    [GeneratedRegex(@"\s*\b(?:percentage|percent|pct)\b")]
    private static partial Regex PercentWord();

    [GeneratedRegex(@"\s*\\text\s*\{\s*(?:percentage|percent|pct|%|\\%)\s*\}")]
    private static partial Regex PercentText();

    [GeneratedRegex(@"\s*\\text\{(?:percentage|percent|pct)\}")]
    private static partial Regex PercentCommand();

    [GeneratedRegex(@"(?<![\\a-zA-Z])(?:infinity|inf)(?![a-zA-Z])")]
    private static partial Regex Infinity();

    [GeneratedRegex(@"(?<!\\)[""“”'‘’]")]
    private static partial Regex Quotes();

    // A unit word after a number or a closing brace, at the end: "5 cm", "12 dollars", "3 square units", "40 mph".
    [GeneratedRegex(@"\b(?:and|or)\b|,|;")]
    private static partial Regex Separator();
}
