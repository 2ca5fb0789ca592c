using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Plugins.Rewards;

/// <summary>
/// Decides whether an answer matches the gold. Numbers compare by value ("043", "43.0", "+43", "1,043"
/// and "1043" all match their value); anything that is not a number compares as trimmed text, ignoring case.
/// </summary>
public static partial class AnswerNormalizer
{
    public static bool Matches(string answer, string gold)
    {
        var a = Clean(answer);
        var g = Clean(gold);
        return TryNumber(a, out var x) && TryNumber(g, out var y)
            ? x == y
            : string.Equals(a, g, StringComparison.OrdinalIgnoreCase);
    }

    private static string Clean(string text)
    {
        var t = text.Trim().Trim('$').Trim();
        if (t.EndsWith('.')) t = t[..^1];
        return t.Trim();
    }

    private static bool TryNumber(string text, out decimal value)
    {
        value = 0;
        if (!NumberRegex().IsMatch(text)) return false;
        return decimal.TryParse(text.Replace(",", ""), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out value);
    }

    // Digits with optional sign, optional thousands separators in groups of three, optional fraction.
    [GeneratedRegex(@"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")]
    private static partial Regex NumberRegex();
}
