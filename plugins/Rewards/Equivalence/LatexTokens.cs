namespace Harness.Plugins.Rewards.Equivalence;

internal enum TokenKind { Number, Letter, Command, Symbol, End }

/// <summary>One token of an answer: a number ("12", "0.5", "1.5e3"), a letter, a command ("frac", "{", "\\") or a symbol character.</summary>
internal readonly record struct LatexToken(TokenKind Kind, string Text)
{
    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsSymbol(char c) => Kind == TokenKind.Symbol && Text.Length == 1 && Text[0] == c;

    public bool IsCommand(string name) => Kind == TokenKind.Command && Text == name;
}

/// <summary>Splits cleaned LaTeX into tokens; unicode math signs become the commands or symbols they stand for.</summary>
internal static class LatexTokens
{
    /// <summary>More tokens than this and the answer is not parsed (compared as text): no answer takes long.</summary>
    public const int MaxTokens = 1500;

    // One string per ASCII character, made once: letters and symbols are most of an answer's tokens.
    private static readonly string[] Ascii = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];

    public static List<LatexToken>? Split(string text)
    {
        var tokens = new List<LatexToken>();
        for (var i = 0; i < text.Length;)
        {
            if (tokens.Count > MaxTokens) return null;
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(new LatexToken(TokenKind.Number, ReadNumber(text, ref i)));
                continue;
            }
            if (char.IsAsciiLetter(c))
            {
                tokens.Add(new LatexToken(TokenKind.Letter, Ascii[c]));
                i++;
                continue;
            }
            if (c == '\\')
            {
                var start = ++i;
                while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
                if (i == start)
                {
                    if (i >= text.Length) return null;
                    i++;
                }
                tokens.Add(new LatexToken(TokenKind.Command, text[start..i]));
                continue;
            }
            i++;
            if (Unicode(c) is { } mapped) tokens.Add(mapped);
            else if (char.IsLetter(c)) tokens.Add(new LatexToken(TokenKind.Letter, c.ToString()));
            else tokens.Add(new LatexToken(TokenKind.Symbol, c < 128 ? Ascii[c] : c.ToString()));
        }
        tokens.Add(new LatexToken(TokenKind.End, ""));
        return tokens;
    }

    private static string ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        // Scientific notation "1.5e3", "2E-4": an e followed by digits (a lone "2e" is 2·e).
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-') j++;
            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                while (j < text.Length && char.IsAsciiDigit(text[j])) j++;
                i = j;
            }
        }
        return text[start..i];
    }

    private static LatexToken? Unicode(char c) => c switch
    {
        '−' or '–' or '—' => Symbol("-"),
        '×' or '·' or '⋅' or '∗' or '∙' => Symbol("*"),
        '÷' or '∕' => Symbol("/"),
        '≤' or '⩽' => Command("le"),
        '≥' or '⩾' => Command("ge"),
        '≠' => Command("ne"),
        '≈' => Command("approx"),
        '±' => Command("pm"),
        '∓' => Command("mp"),
        '∪' => Command("cup"),
        '∩' => Command("cap"),
        '∈' => Command("in"),
        '∞' => Command("infty"),
        '∅' => Command("emptyset"),
        '√' => Command("sqrt"),
        'π' => Command("pi"),
        'α' => Command("alpha"),
        'β' => Command("beta"),
        'γ' => Command("gamma"),
        'δ' => Command("delta"),
        'ε' => Command("epsilon"),
        'θ' => Command("theta"),
        'λ' => Command("lambda"),
        'μ' => Command("mu"),
        'σ' => Command("sigma"),
        'τ' => Command("tau"),
        'φ' => Command("phi"),
        'ω' => Command("omega"),
        _ => null,
    };

    private static LatexToken Symbol(string text) => new(TokenKind.Symbol, text);

    private static LatexToken Command(string name) => new(TokenKind.Command, name);
}
