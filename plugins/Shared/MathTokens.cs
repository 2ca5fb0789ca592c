using System.Globalization;

namespace Harness.Plugins.Shared;

internal enum TokenKind
{
    Number,
    Operator,
    Equals,
    Paren,
    /// <summary>Anything that ends an expression: a word, punctuation, a LaTeX command that is not arithmetic.</summary>
    Break,
}

/// <summary>
/// A token of written arithmetic; a number's <see cref="Operand"/> says whether an operator stands beside it, and
/// <see cref="Fraction"/> holds the parts of a <c>\frac{a}{b}</c>.
/// </summary>
internal readonly record struct MathToken(TokenKind Kind, int Start, int End, string Text, double Value, bool Operand)
{
    public (double Numerator, double Denominator)? Fraction { get; init; }
}

/// <summary>
/// Written arithmetic as tokens, whatever the language around it: numbers (1,250 and 3.5; <c>\frac{a}{b}</c> as a/b;
/// full-width digits), operators (+ − - × · * / ÷ ^ and LaTeX's <c>\times</c>, <c>\cdot</c>, <c>\div</c>; an x between
/// two numbers), <c>=</c> (and ＝), parentheses; every word or punctuation mark is a break. Currency and percent signs,
/// braces and LaTeX spacing are skipped.
/// </summary>
internal static class MathTokens
{
    public static IReadOnlyList<MathToken> Of(ReadOnlySpan<char> text, int offset)
    {
        var tokens = new List<MathToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = Normal(text[i]);
            if (c is ' ' or '\t' or '$' or '%' or '{' or '}' or '€' or '£' or '¥' or '\u00A0' or '\u3000') { i++; continue; }
            if (char.IsAsciiDigit(c))
            {
                var (value, length) = ReadNumber(text[i..]);
                tokens.Add(new MathToken(TokenKind.Number, offset + i, offset + i + length, "", value, false));
                i += length;
                continue;
            }
            if (c is '+' or '-' or '*' or '/' or '^')
            {
                tokens.Add(new MathToken(TokenKind.Operator, offset + i, offset + i + 1, c.ToString(), 0, false));
                i++;
                continue;
            }
            if (c == '=')
            {
                var length = 1;
                while (i + length < text.Length && Normal(text[i + length]) == '=') length++;
                tokens.Add(new MathToken(TokenKind.Equals, offset + i, offset + i + length, "=", 0, false));
                i += length;
                continue;
            }
            if (c is '(' or ')' or '[' or ']')
            {
                tokens.Add(new MathToken(TokenKind.Paren, offset + i, offset + i + 1, c.ToString(), 0, false));
                i++;
                continue;
            }
            if (c == '\\' && Latex(text[i..], offset + i) is { } latex)
            {
                if (latex.Token is { } token) tokens.Add(token);
                i += latex.Length;
                continue;
            }
            // An x between two numbers is a times sign (3 x 4); any other letter run is a word.
            if (c is 'x' or 'X' && tokens.Count > 0 && tokens[^1].Kind == TokenKind.Number && NextIsDigit(text, i + 1) && (i + 1 >= text.Length || !char.IsLetter(text[i + 1])))
            {
                tokens.Add(new MathToken(TokenKind.Operator, offset + i, offset + i + 1, "*", 0, false));
                i++;
                continue;
            }
            var end = i + 1;
            while (end < text.Length && char.IsLetter(text[end]) && char.IsLetter(c)) end++;
            if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.Break) tokens.Add(new MathToken(TokenKind.Break, offset + i, offset + end, "", 0, false));
            i = end;
        }
        for (var k = 0; k < tokens.Count; k++)
            if (tokens[k].Kind == TokenKind.Number && (k > 0 && tokens[k - 1].Kind == TokenKind.Operator || k + 1 < tokens.Count && tokens[k + 1].Kind == TokenKind.Operator))
                tokens[k] = tokens[k] with { Operand = true };
        return tokens;
    }

    /// <summary>The value of an answer written as one number (125, 1,250, 3.5, −4, 5/6, <c>\frac{5}{6}</c>, $20); null otherwise.</summary>
    public static double? Value(string answer)
    {
        var tokens = Of(answer, 0);
        return tokens switch
        {
            [{ Kind: TokenKind.Number } n] => n.Value,
            [{ Kind: TokenKind.Operator, Text: "-" }, { Kind: TokenKind.Number } n] => -n.Value,
            [{ Kind: TokenKind.Number } p, { Kind: TokenKind.Operator, Text: "/" }, { Kind: TokenKind.Number } q] when q.Value != 0 => p.Value / q.Value,
            _ => null,
        };
    }

    private static bool NextIsDigit(ReadOnlySpan<char> text, int from)
    {
        while (from < text.Length && text[from] == ' ') from++;
        return from < text.Length && char.IsAsciiDigit(Normal(text[from]));
    }

    private static char Normal(char c) => c switch
    {
        >= '０' and <= '９' => (char)('0' + (c - '０')),
        '−' or '–' or '－' => '-',
        '×' or '·' or '⋅' or '∗' or '✕' => '*',
        '÷' or '∕' => '/',
        '＋' => '+',
        '＝' => '=',
        '（' => '(',
        '）' => ')',
        // Every script's digits (Arabic-Indic ٣, Devanagari ३, Bengali ৩, …) as 0–9.
        > '\u007F' when char.IsDigit(c) => (char)('0' + (int)char.GetNumericValue(c)),
        _ => c,
    };

    /// <summary>A number at the start: digits with thousands groups (1,250) or a decimal part (3.5).</summary>
    private static (double Value, int Length) ReadNumber(ReadOnlySpan<char> text)
    {
        var digits = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = Normal(text[i]);
            if (char.IsAsciiDigit(c)) { digits.Append(c); i++; continue; }
            // A comma before exactly three digits groups thousands; a point before a digit starts the decimals.
            if (c == ',' && Group(text[(i + 1)..])) { i++; continue; }
            if (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(Normal(text[i + 1])) && !digits.ToString().Contains('.')) { digits.Append('.'); i++; continue; }
            break;
        }
        return (double.Parse(digits.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), i);
    }

    private static bool Group(ReadOnlySpan<char> text) =>
        text.Length >= 3 && char.IsAsciiDigit(Normal(text[0])) && char.IsAsciiDigit(Normal(text[1])) && char.IsAsciiDigit(Normal(text[2]))
        && (text.Length == 3 || !char.IsAsciiDigit(Normal(text[3])));

    /// <summary>A LaTeX command at the start: arithmetic becomes a token, spacing and \left/\right nothing, the rest a break.</summary>
    private static (MathToken? Token, int Length)? Latex(ReadOnlySpan<char> text, int at)
    {
        var length = 1;
        while (length < text.Length && char.IsAsciiLetter(text[length])) length++;
        var name = text[1..length].ToString();
        if (length == 1) return (null, Math.Min(2, text.Length));
        switch (name)
        {
            case "times" or "cdot" or "ast":
                return (new MathToken(TokenKind.Operator, at, at + length, "*", 0, false), length);
            case "div":
                return (new MathToken(TokenKind.Operator, at, at + length, "/", 0, false), length);
            case "left" or "right" or "quad" or "qquad" or "displaystyle" or "big" or "Big":
                return (null, length);
            case "frac" or "dfrac" or "tfrac":
                if (Braced(text[length..]) is { } numerator && Braced(text[(length + numerator.Length)..]) is { } denominator
                    && Value(numerator.Inner) is { } p && Value(denominator.Inner) is { } q && q != 0)
                {
                    var total = length + numerator.Length + denominator.Length;
                    return (new MathToken(TokenKind.Number, at, at + total, "", p / q, false) { Fraction = (p, q) }, total);
                }
                return (new MathToken(TokenKind.Break, at, at + length, "", 0, false), length);
            default:
                return (new MathToken(TokenKind.Break, at, at + length, "", 0, false), length);
        }
    }

    /// <summary>A <c>{…}</c> group at the start (spaces before it skipped): its inner text and its whole length.</summary>
    private static (string Inner, int Length)? Braced(ReadOnlySpan<char> text)
    {
        var start = 0;
        while (start < text.Length && text[start] == ' ') start++;
        if (start >= text.Length || text[start] != '{') return null;
        var close = text[start..].IndexOf('}');
        return close < 0 ? null : (text.Slice(start + 1, close - 1).ToString(), start + close + 1);
    }
}
