namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>One of tokenizer.json's <c>added_tokens</c>: matched in the text before the model sees it, never split.</summary>
public sealed record AddedToken(int Id, string Content, bool Special, bool LeftStrip, bool RightStrip, bool SingleWord, bool Normalized)
{
    public static AddedToken Parse(JsonField field)
    {
        var content = field["content"].String();
        if (content.Length == 0) throw field["content"].Error("must not be empty");
        var special = field["special"].Bool(false);
        // transformers' default: special tokens are matched in the raw text, others after normalization.
        return new AddedToken(field["id"].Int(), content, special, field["lstrip"].Bool(false), field["rstrip"].Bool(false),
            field["single_word"].Bool(false), field["normalized"].Bool(!special));
    }
}

/// <summary>
/// Finds added tokens in text, leftmost first and longest among those starting at one place, as the
/// Aho-Corasick matcher of huggingface/tokenizers' <c>added_vocabulary.rs</c> does; <c>lstrip</c>/<c>rstrip</c>
/// take the whitespace beside a match into it, <c>single_word</c> refuses a match inside a word.
/// </summary>
public sealed class AddedTokenMatcher(IEnumerable<AddedToken> tokens)
{
    private readonly Dictionary<char, AddedToken[]> _byFirst = tokens
        .GroupBy(t => t.Content[0])
        .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());

    public bool IsEmpty => _byFirst.Count == 0;

    /// <summary>The text cut into stretches, each either plain text (token null) or one added token's match.</summary>
    public List<(int Start, int End, AddedToken? Token)> Split(string text)
    {
        var parts = new List<(int Start, int End, AddedToken? Token)>();
        var plainFrom = 0;
        var i = 0;
        while (i < text.Length)
        {
            var match = _byFirst.TryGetValue(text[i], out var candidates)
                ? candidates.FirstOrDefault(t => string.CompareOrdinal(text, i, t.Content, 0, t.Content.Length) == 0 && WholeWord(text, i, t))
                : null;
            if (match is null)
            {
                i++;
                continue;
            }
            var (start, end) = (i, i + match.Content.Length);
            if (match.LeftStrip) while (start > plainFrom && char.IsWhiteSpace(text[start - 1])) start--;
            if (match.RightStrip) while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            if (start > plainFrom) parts.Add((plainFrom, start, null));
            parts.Add((start, end, match));
            plainFrom = i = end;
        }
        if (plainFrom < text.Length) parts.Add((plainFrom, text.Length, null));
        return parts;
    }

    private static bool WholeWord(string text, int at, AddedToken token)
    {
        if (!token.SingleWord) return true;
        var end = at + token.Content.Length;
        static bool Word(char c) => char.IsLetterOrDigit(c) || c == '_';
        return (at == 0 || !Word(text[at - 1])) && (end == text.Length || !Word(text[end]));
    }
}
