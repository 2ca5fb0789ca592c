using System.Text.RegularExpressions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The target language of the reasoning, English: a lexicon of common English words plus the words of
/// arithmetic reasoning. A word counts as English when it, or each part of a hyphenated word, is in the
/// lexicon; numbers and symbols are not words. DeepSeek-R1's language-consistency reward is the share of
/// target-language words in the chain of thought.
/// </summary>
internal static partial class EnglishWords
{
    private static readonly HashSet<string> Lexicon = new(
        """
        a about above after again against all also am an and another answer any are as at back be because been
        before being below between both but by can carry check checked checking column columns compute correct could
        did digit digits do does doing done double down each either else error even every first five for four from
        further get got had has have having he her here him his how i if in into is it its just last least left let
        like look make makes many may me method might mistake more most must my next no not now number of off ok
        okay on once one only or other our out over own place plus put re recheck redo result right same second
        see seven should since six so some step such sum sure take ten tens than that the their them then there
        these they thing think third this those thousand thousands three through to too total try twice two under
        units until up us verify very was wait way we were what when where which while who why will with work
        would wrong yes yet you your zero eight nine hundred hundreds million millions add adding added
        addition actually alternatively reconsider rethink evaluate examine confused myself made need
        true false means mean equal equals gives give let's i'm it's that's don't isn't
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The alphabetic words of a text (hyphenated words as one), lower-cased.</summary>
    public static string[] Of(string text) => [.. AlphabeticWord().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    /// <summary>Whether a word is English by the lexicon.</summary>
    public static bool IsEnglish(string word) => word.Split('-').All(Lexicon.Contains);

    /// <summary>The share of a text's words that are English; 1 when it has no words.</summary>
    public static double Share(string text)
    {
        var words = Of(text);
        return words.Length == 0 ? 1.0 : words.Count(IsEnglish) / (double)words.Length;
    }

    [GeneratedRegex(@"(?<![<\/\w])\p{L}+(['-]\p{L}+)*(?!\w)")]
    private static partial Regex AlphabeticWord();
}
