using System.Text.RegularExpressions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The target language of the reasoning, English. A word is foreign when it shows another language: a letter outside
/// plain a–z (Chinese, Cyrillic, accented Latin such as é, ñ, ü, ß) or a common word of Spanish, French, German,
/// Portuguese or Italian that is not also English. Any other word counts as English, so an English word the lexicon
/// lacks ("Both agree.") is not mistaken for another language; numbers and symbols are not words. DeepSeek-R1's
/// language-consistency reward is the share of target-language words in the chain of thought.
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

    /// <summary>The alphabetic words of a text (hyphenated words as one), lower-cased; Chinese and Japanese characters one word each, as they are written without spaces.</summary>
    public static string[] Of(string text) =>
        [.. AlphabeticWord().Matches(text).SelectMany(m => m.Value.Any(IsCjk) ? m.Value.Select(c => c.ToString()) : [m.Value.ToLowerInvariant()])];

    private static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uAC00' and <= '\uD7AF';

    // Frequent words of the languages R1-style models drift into, written without accents, none of them also English.
    private static readonly HashSet<string> Foreign = new(
        """
        el la los las es son del que y en un una por para con entonces suma pero como muy esto este esta eso
        numero resultado primero primera segundo verificar verifico comprobar revisar correcto unidades decenas centenas
        respuesta estaba estoy mal bien ahora tenemos hay sumar cifra llevo mas menos igual luego pues
        le les et est sont des du une pour avec alors donc mais nous resultat chiffre verifions unites dizaines
        der das und ist sind ein eine mit fur dann aber nicht ich wir ergebnis zahl summe pruefen richtig einer zehner
        o os um uma entao isso soma nao sim di il che per con allora quindi sono della
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a word is English: no sign of another language (see the class), or in the English lexicon.</summary>
    public static bool IsEnglish(string word) =>
        word.Split('-').All(Lexicon.Contains) || (word.All(c => char.IsAsciiLetter(c) || c is '-' or '\'') && !word.Split('-').Any(Foreign.Contains));

    /// <summary>The share of a text's words that are English; 1 when it has no words.</summary>
    public static double Share(string text)
    {
        var words = Of(text);
        return words.Length == 0 ? 1.0 : words.Count(IsEnglish) / (double)words.Length;
    }

    [GeneratedRegex(@"(?<![<\/\w])\p{L}+(['-]\p{L}+)*(?!\w)")]
    private static partial Regex AlphabeticWord();
}
