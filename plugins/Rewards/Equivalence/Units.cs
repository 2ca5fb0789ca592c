namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// Units after a value, dropped: a trailing <c>\text{…}</c> ("5\text{ cm}^2", "7 \text{ (approx.)}") and up to two
/// trailing unit words ("12 dollars", "3 square units", "40 mph"), as Math-Verify's normaliser drops them. A text or a
/// word alone is an answer, not a unit, and stays.
/// </summary>
internal static class Units
{
    private static readonly HashSet<string> Words = new(
        ("unit units dollar dollars cent cents euro euros pound pounds yuan rupee rupees cm mm km m meter meters metre metres kilometer " +
         "kilometers centimeter centimeters millimeter millimeters inch inches in feet foot ft yard yards yd mile miles mi mph kph km/h " +
         "m/s kg g gram grams kilogram kilograms mg lb lbs ounce ounces oz ton tons liter liters litre litres ml l gallon gallons second " +
         "seconds sec secs s minute minutes min mins hour hours hr hrs h day days week weeks month months year years yr yrs degree degrees " +
         "deg radian radians rad people person persons student students apple apples marble marbles book books cookie cookies times point points")
        .Split(' '), StringComparer.OrdinalIgnoreCase);

    private static readonly string[] Prefixes = ["square ", "sq ", "sq. ", "cubic ", "cu "];

    public static string Strip(string t)
    {
        if (t.Length == 0) return t;
        t = TrailingText(TrailingText(t));
        for (var i = 0; i < 2; i++)
        {
            var end = WithoutSuperscript(t);
            var start = end;
            while (start > 0 && (char.IsAsciiLetter(t[start - 1]) || t[start - 1] == '/')) start--;
            if (start == end || start == 0 || !Words.Contains(t[start..end])) break;
            var before = t[start - 1];
            if (!char.IsAsciiDigit(before) && before != '}' && !char.IsWhiteSpace(before)) break;
            var kept = t[..start].TrimEnd();
            foreach (var prefix in Prefixes)
                if (kept.EndsWith(prefix.TrimEnd(), StringComparison.OrdinalIgnoreCase) && kept.Length > prefix.Length)
                {
                    kept = kept[..^prefix.TrimEnd().Length].TrimEnd();
                    break;
                }
            if (kept.Length == 0) break;
            t = kept;
        }
        return t;
    }

    /// <summary>The text before a trailing <c>\text{…}</c> group (and its superscript), when something comes before it.</summary>
    private static string TrailingText(string t)
    {
        var end = WithoutSuperscript(t);
        if (end == 0 || t[end - 1] != '}') return t;
        var open = t.LastIndexOf("\\text", end - 1, StringComparison.Ordinal);
        if (open <= 0) return t;
        var brace = open + 5;
        while (brace < end && t[brace] == ' ') brace++;
        if (brace >= end || t[brace] != '{' || AnswerLatex.MatchingBrace(t, brace, end) != end - 1) return t;
        var kept = t[..open].TrimEnd();
        return kept.Length > 0 ? kept : t;
    }

    /// <summary>Where the text ends without a final "^2" or "^{2}" (square units).</summary>
    private static int WithoutSuperscript(string t)
    {
        var end = t.Length;
        if (end >= 2 && char.IsAsciiDigit(t[end - 1]) && t[end - 2] == '^') return end - 2;
        if (end >= 4 && t[end - 1] == '}' && char.IsAsciiDigit(t[end - 2]) && t[end - 3] == '{' && t[end - 4] == '^') return end - 4;
        return end;
    }
}
