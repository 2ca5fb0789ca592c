namespace Harness.Plugins.Shared;

/// <summary>
/// The words of a completion as the failure-mode measures compare them: words, numbers and equations such as
/// "8+7+0=15". A word is what <c>(?&lt;![&lt;\/])\b[\p{L}\d][\p{L}\p{M}\d+=\-]*</c> matches (a letter or digit after
/// no word character, and no tag's <c>&lt;</c> or <c>/</c>; then letters, the marks written on them (Devanagari's and
/// Thai's vowel signs), digits, <c>+</c>, <c>=</c> and <c>-</c>), found by a scan that equals that pattern. Words are compared ignoring case (<see cref="Comparer"/>).
/// </summary>
internal static class TextWords
{
    /// <summary>How words are compared: ordinally, ignoring case.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>The words and numbers as written, punctuation and tags dropped.</summary>
    public static string[] Of(string text)
    {
        var words = new List<string>();
        for (var start = Next(text, 0, out var length); start >= 0; start = Next(text, start + length, out length))
            words.Add(text.Substring(start, length));
        return [.. words];
    }

    /// <summary>The start of the first word at or after <paramref name="from"/> and its length; -1 when there is none.</summary>
    public static int Next(ReadOnlySpan<char> text, int from, out int length)
    {
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (!RegexClasses.IsLetter(c) && !RegexClasses.IsDigit(c)) continue;
            if (i > 0 && (RegexClasses.IsBoundaryWord(text[i - 1]) || text[i - 1] is '<' or '/')) continue;
            var end = i + 1;
            while (end < text.Length && (RegexClasses.IsLetterOrMark(text[end]) || RegexClasses.IsDigit(text[end]) || text[end] is '+' or '=' or '-')) end++;
            length = end - i;
            return i;
        }
        length = 0;
        return -1;
    }
}
