using System.Text;

namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// One pass over an answer's backslash commands: sizing, style and spacing commands dropped (<c>\left(</c> is "(",
/// <c>\displaystyle</c>, <c>\color{red}</c> and <c>\quad</c> nothing), variants reduced to one form (<c>\dfrac</c> to
/// <c>\frac</c>, <c>\mathrm</c> and <c>\textbf</c> to <c>\text</c>, <c>\langle</c> to "("), math delimiters and
/// <c>\$</c> removed, a thin space between digit groups of three read as a thousands separator ("1\,000"), and
/// JSON-doubled backslashes ("\\frac") undone outside matrices. One scan instead of a regular expression per rule:
/// every scanned and served completion's answer passes here.
/// </summary>
internal static class LatexCommands
{
    private enum Action { Drop, DropWithDot, DropWithGroup, Space, Replace }

    private static readonly Dictionary<string, (Action Action, string With)> Rules = Build();

    private static Dictionary<string, (Action, string)> Build()
    {
        var rules = new Dictionary<string, (Action, string)>(StringComparer.Ordinal);
        foreach (var name in "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".Split(' ')) rules[name] = (Action.DropWithDot, "");
        foreach (var name in ("displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits large Large LARGE huge Huge small tiny normalsize " +
                              "footnotesize scriptsize hline checkmark bf it rm sf tt hfill enspace thinspace medspace thickspace negthinspace " +
                              "negmedspace negthickspace circ degree").Split(' '))
            rules[name] = (Action.Drop, "");
        foreach (var name in "color textcolor phantom hphantom vphantom hspace vspace".Split(' ')) rules[name] = (Action.DropWithGroup, "");
        foreach (var name in "quad qquad ldots cdots dots dotsc dotsb".Split(' ')) rules[name] = (Action.Space, " ");
        foreach (var name in "dfrac tfrac cfrac".Split(' ')) rules[name] = (Action.Replace, "\\frac");
        foreach (var name in "dbinom tbinom".Split(' ')) rules[name] = (Action.Replace, "\\binom");
        foreach (var name in "mathrm mathbf mathit mathsf mathtt textbf textit textrm textsf texttt textnormal mbox hbox emph".Split(' '))
            rules[name] = (Action.Replace, "\\text");
        rules["langle"] = (Action.Replace, "(");
        rules["rangle"] = (Action.Replace, ")");
        return rules;
    }

    public static string Apply(string t)
    {
        var matrix = t.Contains("matrix", StringComparison.Ordinal) || t.Contains("{array}", StringComparison.Ordinal);
        var output = new StringBuilder(t.Length);
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c == '~')
            {
                Space(output, t, i + 1);
                continue;
            }
            if (c != '\\' || i + 1 == t.Length)
            {
                output.Append(c);
                continue;
            }
            var next = t[i + 1];
            if (char.IsAsciiLetter(next))
            {
                var end = i + 1;
                while (end < t.Length && char.IsAsciiLetter(t[end])) end++;
                var name = t[(i + 1)..end];
                i = end - 1;
                if (!Rules.TryGetValue(name, out var rule))
                {
                    output.Append('\\').Append(name);
                    continue;
                }
                switch (rule.Action)
                {
                    case Action.Drop when name is "circ" or "degree":
                        // 30^\circ and 30^{\circ}: the superscript goes with the degree sign.
                        while (output.Length > 0 && output[^1] == ' ') output.Length--;
                        if (output.Length > 1 && output[^1] == '{' && output[^2] == '^')
                        {
                            output.Length -= 2;
                            while (i + 1 < t.Length && t[i + 1] == ' ') i++;
                            if (i + 1 < t.Length && t[i + 1] == '}') i++;
                        }
                        else if (output.Length > 0 && output[^1] == '^') output.Length--;
                        break;
                    case Action.DropWithDot:
                        if (end < t.Length && t[end] == '.') i++;
                        break;
                    case Action.DropWithGroup:
                        if (end < t.Length && t[end] == '{' && AnswerLatex.MatchingBrace(t, end, t.Length) is var close and >= 0) i = close;
                        break;
                    case Action.Space:
                        if (name.EndsWith("dots", StringComparison.Ordinal) && output.Length > 0 && output[^1] == ',') output.Length--;
                        output.Append(' ');
                        break;
                    case Action.Replace:
                        output.Append(rule.With);
                        break;
                }
                continue;
            }
            i++;
            switch (next)
            {
                case '\\' when !matrix && i + 1 < t.Length && char.IsAsciiLetter(t[i + 1]):
                    // "\\frac" doubled by JSON: one backslash, and the command is read on the next turn.
                    i--;
                    break;
                case ',' or ';' or ':' or ' ':
                    Space(output, t, i + 1);
                    break;
                case '!':
                    break;
                case '$' or '[' or ']' or '(' or ')':
                    output.Append(' ');
                    break;
                default:
                    output.Append('\\').Append(next);
                    break;
            }
        }
        return output.ToString();
    }

    /// <summary>A space, or nothing between digit groups ("1\,000", "12~345": a thousands separator).</summary>
    private static void Space(StringBuilder output, string t, int at)
    {
        var thousands = output.Length > 0 && char.IsAsciiDigit(output[^1]) && at + 3 <= t.Length
            && char.IsAsciiDigit(t[at]) && char.IsAsciiDigit(t[at + 1]) && char.IsAsciiDigit(t[at + 2]) && (at + 3 == t.Length || !char.IsAsciiDigit(t[at + 3]));
        if (!thousands) output.Append(' ');
    }
}
