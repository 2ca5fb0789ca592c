using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Plugins.Shared;

/// <summary>
/// How much a text repeats itself, by word n-grams (<see cref="TextWords"/>, compared ignoring case): the most times one
/// n-gram of words occurs, and the share of the text's n-grams that repeat an earlier one (0 for text that never
/// repeats, near 1 for a loop). An n-gram with two or more bare numbers counts in the share but not in the most: steps of
/// arithmetic written alike ("1 carry 1", "x^2 - 5x + 6" expanded twice) are no loop of words.
/// </summary>
internal sealed record NGramRepetition(int MostRepeats, double RepeatedShare)
{
    public static NGramRepetition Of(string text, int n)
    {
        var (ids, numbers) = WordIds(text);
        if (ids.Length < n) return new NGramRepetition(ids.Length == 0 ? 0 : 1, 0);
        // An n-gram is its first word's position; two are equal when their n word ids are.
        var counts = new Dictionary<int, int>(new Window(ids, n));
        var most = 0;
        for (var i = 0; i + n <= ids.Length; i++)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, i, out _);
            count++;
            if (numbers[i + n] - numbers[i] < 2) most = Math.Max(most, count);
        }
        var total = ids.Length - n + 1;
        return new NGramRepetition(most, (total - counts.Count) / (double)total);
    }

    /// <summary>
    /// Each word of the text as a number, equal for words equal ignoring case (their invariant upper case is), and how
    /// many of the words before each place are bare numbers (one more entry than words).
    /// </summary>
    private static (int[] Ids, int[] NumbersBefore) WordIds(string text)
    {
        var ids = new List<int>(text.Length / 5);
        var numbers = new List<int>(text.Length / 5) { 0 };
        var known = new Dictionary<string, int>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[64];
        for (var start = TextWords.Next(text, 0, out var length); start >= 0; start = TextWords.Next(text, start + length, out length))
        {
            var word = text.AsSpan(start, length);
            var upper = length <= buffer.Length ? buffer[..length] : new char[length];
            // Plain ASCII (most words) folds without a trip through the culture tables.
            if (Ascii.IsValid(word)) Ascii.ToUpper(word, upper, out _);
            else word.ToUpperInvariant(upper);
            if (!known.TryGetValue(upper, out var id)) known[upper] = id = known.Dictionary.Count;
            ids.Add(id);
            numbers.Add(numbers[^1] + (IsNumber(word) ? 1 : 0));
        }
        return ([.. ids], [.. numbers]);
    }

    private static bool IsNumber(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
            if (!RegexClasses.IsDigit(c)) return false;
        return true;
    }

    private sealed class Window(int[] ids, int n) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => ids.AsSpan(a, n).SequenceEqual(ids.AsSpan(b, n));

        public int GetHashCode(int start)
        {
            var hash = new HashCode();
            foreach (var id in ids.AsSpan(start, n)) hash.Add(id);
            return hash.ToHashCode();
        }
    }
}
