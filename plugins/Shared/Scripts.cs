namespace Harness.Plugins.Shared;

/// <summary>
/// The writing systems a text uses, as flags: what the phrase search and the language of a stretch of text are told
/// apart by first. Latin covers every Latin letter, accented ones included; Kana is Japanese's own (hiragana and
/// katakana), Han the ideographs Chinese and Japanese share; Arabic covers Persian's letters too.
/// </summary>
[Flags]
internal enum Scripts
{
    None = 0,
    Latin = 1,
    Han = 2,
    Kana = 4,
    Hangul = 8,
    Cyrillic = 16,
    Arabic = 32,
    Devanagari = 64,
    Thai = 128,
    Greek = 256,
    Hebrew = 512,
    Other = 1024,
    Bengali = 2048,
    Tamil = 4096,
}

internal static class ScriptsOf
{
    /// <summary>Every script a text has a letter of.</summary>
    public static Scripts Text(ReadOnlySpan<char> text)
    {
        var found = Scripts.None;
        // ASCII is most of most texts: one vectorized test finds whether anything else is there.
        if (text.ContainsAnyInRange('A', 'Z') || text.ContainsAnyInRange('a', 'z')) found = Scripts.Latin;
        var rest = text.IndexOfAnyExceptInRange('\0', '\u007F');
        if (rest < 0) return found;
        foreach (var c in text[rest..])
            if (c > '\u007F') found |= Letter(c);
        return found;
    }

    /// <summary>The script of one letter; <see cref="Scripts.None"/> for anything that is not a letter.</summary>
    public static Scripts Letter(char c) => c switch
    {
        < 'A' => Scripts.None,
        <= 'Z' => Scripts.Latin,
        < 'a' => Scripts.None,
        <= 'z' => Scripts.Latin,
        < '\u00C0' => Scripts.None,
        <= '\u024F' => c is '\u00D7' or '\u00F7' ? Scripts.None : Scripts.Latin,
        >= '\u1E00' and <= '\u1EFF' => Scripts.Latin,
        >= '\u0370' and <= '\u03FF' => Scripts.Greek,
        >= '\u0400' and <= '\u052F' => Scripts.Cyrillic,
        >= '\u0590' and <= '\u05FF' => Scripts.Hebrew,
        >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF' => Scripts.Arabic,
        >= '\u0900' and <= '\u097F' => Scripts.Devanagari,
        >= '\u0980' and <= '\u09FF' => Scripts.Bengali,
        >= '\u0B80' and <= '\u0BFF' => Scripts.Tamil,
        >= '\u0E00' and <= '\u0E7F' => Scripts.Thai,
        >= '\u3040' and <= '\u30FF' or >= '\u31F0' and <= '\u31FF' or >= '\uFF66' and <= '\uFF9F' => Scripts.Kana,
        >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' => Scripts.Han,
        >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F' or >= '\uAC00' and <= '\uD7AF' => Scripts.Hangul,
        _ => char.IsLetter(c) ? Scripts.Other : Scripts.None,
    };
}
