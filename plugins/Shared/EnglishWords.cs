using System.Buffers;

namespace Harness.Plugins.Shared;

/// <summary>
/// The target language of the reasoning, English. A word is foreign when it shows another language: a letter outside
/// plain a–z (Chinese, Cyrillic, accented Latin such as é, ñ, ü, ß) or a common word of Spanish, French, German,
/// Portuguese or Italian that is not also English. Any other word counts as English, so an English word the lexicon
/// lacks ("Both agree.") is not mistaken for another language; numbers and symbols are not words. DeepSeek-R1's
/// language-consistency reward is the share of target-language words in the chain of thought.
/// </summary>
internal static class EnglishWords
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

    /// <summary>
    /// The alphabetic words of a text and how many of them are English (<see cref="IsEnglish"/>). A word is what
    /// <c>(?&lt;![&lt;\/\w])\p{L}+(['-]\p{L}+)*(?!\w)</c> matches (hyphenated words and contractions as one), found by
    /// a scan that equals that pattern; a word with Chinese or Japanese characters counts each character as a word,
    /// as they are written without spaces.
    /// </summary>
    public static (int Words, int English) Count(ReadOnlySpan<char> text)
    {
        var (words, english) = (0, 0);
        for (var start = Next(text, 0, out var length); start >= 0; start = Next(text, start + length, out length))
        {
            var word = text.Slice(start, length);
            if (word.ContainsAnyInRange('\u3040', '\u30FF') || word.ContainsAnyInRange('\u3400', '\u9FFF')
                || word.ContainsAnyInRange('\uF900', '\uFAFF') || word.ContainsAnyInRange('\uAC00', '\uD7AF'))
            {
                for (var i = 0; i < word.Length; i++)
                    if (IsEnglish(word.Slice(i, 1))) english++;
                words += word.Length;
            }
            else
            {
                words++;
                if (IsEnglish(word)) english++;
            }
        }
        return (words, english);
    }

    /// <summary>The start of the first word at or after <paramref name="from"/> and its length; -1 when there is none.</summary>
    internal static int Next(ReadOnlySpan<char> text, int from, out int length)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (!RegexClasses.IsLetter(text[i]) || i > 0 && (RegexClasses.IsWord(text[i - 1]) || text[i - 1] is '<' or '/')) continue;
            var end = i + 1;
            while (end < text.Length && RegexClasses.IsLetter(text[end])) end++;
            var lastJoin = -1;
            while (end + 1 < text.Length && text[end] is '\'' or '-' && RegexClasses.IsLetter(text[end + 1]))
            {
                lastJoin = end;
                end += 2;
                while (end < text.Length && RegexClasses.IsLetter(text[end])) end++;
            }
            // A word must not run into a word character (a digit, an underscore, a mark): then the pattern backs off
            // to before its last apostrophe or hyphen, or finds no word here.
            if (end < text.Length && RegexClasses.IsWord(text[end])) end = lastJoin;
            if (end < 0) continue;
            length = end - i;
            return i;
        }
        length = 0;
        return -1;
    }

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

    /// <summary>Whether a word is English: plain ASCII letters (with hyphens and apostrophes), and in the English lexicon or not a common foreign word; compared ignoring case.</summary>
    public static bool IsEnglish(ReadOnlySpan<char> word)
    {
        // Every lexicon entry is plain ASCII, so a letter outside a–z settles it.
        if (word.ContainsAnyExcept(AsciiWordChars)) return false;
        var (inLexicon, foreign) = (true, false);
        foreach (var part in word.Split('-'))
        {
            inLexicon &= LexiconLookup.Contains(word[part]);
            foreign |= ForeignLookup.Contains(word[part]);
        }
        return inLexicon || !foreign;
    }

    /// <summary>The share of a text's words that are English; 1 when it has no words.</summary>
    public static double Share(string text)
    {
        var (words, english) = Count(text);
        return words == 0 ? 1.0 : english / (double)words;
    }

    private static readonly SearchValues<char> AsciiWordChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-'");
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> LexiconLookup = Lexicon.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ForeignLookup = Foreign.GetAlternateLookup<ReadOnlySpan<char>>();
}
