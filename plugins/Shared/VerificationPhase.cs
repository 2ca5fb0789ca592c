using System.Text.RegularExpressions;
using Harness.Abstractions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The verification phase of a completion: from its first re-check (a tracked verification phrase, or where a quantity
/// starts to be derived again, <see cref="Rederivation"/>) to the end of the part it sits in (the reasoning's end when it
/// is in the reasoning, else the final answer's markup or the end of the text), and the reasoning before it. Rewards and
/// detectors that judge a re-check all cut a completion here, with the host's reading of where the reasoning and the
/// answer are, so tag-less and <c>\boxed{}</c> completions are cut as R1 ones are.
/// </summary>
internal sealed partial record VerificationPhase(int PhraseStart, int PhraseEnd, int End)
{
    /// <summary>The completion, and where the part the phase sits in starts: what <see cref="Overlap"/> compares.</summary>
    private string Text { get; init; } = "";

    private int From { get; init; }

    /// <summary>The first re-check's phase, or null when the completion has none.</summary>
    /// <param name="text">The completion.</param>
    /// <param name="reading">The host's reading of it.</param>
    /// <param name="prompt">Its prompt (for a substitution check).</param>
    public static VerificationPhase? Find(string text, CompletionReading reading, string prompt)
    {
        var phrases = VerificationPhrases.In(text);
        (int Start, int End)? first = phrases.Count > 0 ? (phrases[0].Index, phrases[0].Index + phrases[0].Length) : null;
        if (Rederivation.In(text, reading.Answer?.Text, prompt) is [var again, ..] && again.RecheckStart(text) is var start && (first is null || start < first.Value.Start))
            first = (start, start);
        if (first is not var (phraseStart, phraseEnd)) return null;
        var inReasoning = Readings.InReasoning(reading, phraseStart);
        var end = inReasoning ? Math.Max(phraseEnd, reading.Reasoning!.End)
            : reading.Answer is { } answer && answer.Markup.Start >= phraseEnd ? answer.Markup.Start : text.Length;
        return new VerificationPhase(phraseStart, phraseEnd, end) { Text = text, From = inReasoning ? reading.Reasoning!.Start : 0 };
    }

    /// <summary>
    /// Content overlap of the phase with the reasoning before it: the share of the phase's pairs of adjacent
    /// content tokens that already appear before the phrase (1 when it only restates, near 0 when it works anew).
    /// No tracked phrase and no filler ("let me", "so", "yes") is content: a phrase of several words is the phrase's,
    /// not the work. When the phase has two or more numbers the content is its numbers, an equation written without
    /// spaces ("58+67=115") counting as its three numbers (in arithmetic they are the work); else its words.
    /// </summary>
    public double Overlap()
    {
        var content = WithoutPhrases(Text);
        var (beforeText, afterText) = (content[From..PhraseStart], content[PhraseEnd..End]);
        var numeric = Numbers(afterText).Length >= 2;
        string[] Content(string text) => numeric ? Numbers(text) : Words(text);
        var (before, after) = (Content(beforeText), Content(afterText));
        // Reasoning of one content token ("The sum is 125.") has no pairs: then the phase's tokens are compared alone.
        if (before.Length == 1) return after.Length == 0 ? 1.0 : after.Count(t => TextWords.Comparer.Equals(t, before[0])) / (double)after.Length;
        var known = Pairs(before).ToHashSet(PairComparer.Instance);
        var pairs = Pairs(after).ToArray();
        return pairs.Length == 0 ? 1.0 : pairs.Count(known.Contains) / (double)pairs.Length;
    }

    private static IEnumerable<(string, string)> Pairs(string[] content) => content.Zip(content.Skip(1));

    private static string[] Numbers(string text) => [.. NumberRegex().Matches(text).Select(m => m.Value.TrimStart('-'))];

    private static string[] Words(string text) => [.. TextWords.Of(text).Where(w => !Filler.Contains(w))];

    /// <summary>The text with every tracked phrase (found once per text, <see cref="VerificationPhrases.In"/>) blanked out, its length kept.</summary>
    private static string WithoutPhrases(string text) =>
        string.Create(text.Length, text, (chars, source) =>
        {
            source.AsSpan().CopyTo(chars);
            foreach (var match in VerificationPhrases.In(source)) chars.Slice(match.Index, match.Length).Fill(' ');
        });

    private static readonly HashSet<string> Filler = new(["let", "me", "let's", "so", "yes", "ok", "okay", "again", "i", "we", "it", "is", "that", "that's", "the", "a"], TextWords.Comparer);

    private sealed class PairComparer : IEqualityComparer<(string, string)>
    {
        public static PairComparer Instance { get; } = new();

        public bool Equals((string, string) a, (string, string) b) => TextWords.Comparer.Equals(a.Item1, b.Item1) && TextWords.Comparer.Equals(a.Item2, b.Item2);

        public int GetHashCode((string, string) pair) => HashCode.Combine(TextWords.Comparer.GetHashCode(pair.Item1), TextWords.Comparer.GetHashCode(pair.Item2));
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex NumberRegex();
}
