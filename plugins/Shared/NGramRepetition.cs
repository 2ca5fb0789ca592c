namespace Harness.Plugins.Shared;

/// <summary>
/// How much a text repeats itself, by word n-grams: the most times one n-gram occurs, and the share of the
/// text's n-grams that repeat an earlier one (0 for text that never repeats, near 1 for a loop).
/// </summary>
internal sealed record NGramRepetition(int MostRepeats, double RepeatedShare, string? MostRepeated)
{
    public static NGramRepetition Of(string text, int n)
    {
        var words = TextWords.Of(text);
        if (words.Length < n) return new NGramRepetition(words.Length == 0 ? 0 : 1, 0, null);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= words.Length; i++)
        {
            var gram = string.Join(' ', words, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        var total = words.Length - n + 1;
        var (most, count) = counts.MaxBy(c => c.Value);
        return new NGramRepetition(count, (total - counts.Count) / (double)total, most);
    }
}
