using System.Globalization;

namespace Harness.Plugins.Shared;

/// <summary>
/// The character classes of .NET's regular expressions, for the hand-written scanners that replace a regex where a
/// completion's every word is visited (a regex match per word costs ~40 ns a character here; a scan, a few). Each
/// scanner documents the pattern it equals, and a property test holds it to that pattern.
/// </summary>
internal static class RegexClasses
{
    private const int WordCategories =
        1 << (int)UnicodeCategory.UppercaseLetter | 1 << (int)UnicodeCategory.LowercaseLetter | 1 << (int)UnicodeCategory.TitlecaseLetter
        | 1 << (int)UnicodeCategory.ModifierLetter | 1 << (int)UnicodeCategory.OtherLetter | 1 << (int)UnicodeCategory.NonSpacingMark
        | 1 << (int)UnicodeCategory.DecimalDigitNumber | 1 << (int)UnicodeCategory.ConnectorPunctuation;

    private const int LetterCategories =
        1 << (int)UnicodeCategory.UppercaseLetter | 1 << (int)UnicodeCategory.LowercaseLetter | 1 << (int)UnicodeCategory.TitlecaseLetter
        | 1 << (int)UnicodeCategory.ModifierLetter | 1 << (int)UnicodeCategory.OtherLetter;

    /// <summary><c>\w</c>.</summary>
    public static bool IsWord(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) || c == '_' : (WordCategories & Category(c)) != 0;

    /// <summary>A character on the word side of <c>\b</c>: <c>\w</c>, or the zero-width (non-)joiner.</summary>
    public static bool IsBoundaryWord(char c) => IsWord(c) || c is '\u200C' or '\u200D';

    /// <summary><c>\p{L}</c>.</summary>
    public static bool IsLetter(char c) => c < 128 ? char.IsAsciiLetter(c) : (LetterCategories & Category(c)) != 0;

    /// <summary><c>[\p{L}\p{M}]</c>: a letter, or a mark written on one (a vowel sign, an accent).</summary>
    public static bool IsLetterOrMark(char c) => c < 128 ? char.IsAsciiLetter(c) : ((LetterCategories | MarkCategories) & Category(c)) != 0;

    private const int MarkCategories =
        1 << (int)UnicodeCategory.NonSpacingMark | 1 << (int)UnicodeCategory.SpacingCombiningMark | 1 << (int)UnicodeCategory.EnclosingMark;

    /// <summary><c>\d</c> (any decimal digit, not only 0–9).</summary>
    public static bool IsDigit(char c) => c < 128 ? char.IsAsciiDigit(c) : CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber;

    private static int Category(char c) => 1 << (int)CharUnicodeInfo.GetUnicodeCategory(c);
}
