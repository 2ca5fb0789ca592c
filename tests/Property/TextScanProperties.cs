using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Abstractions;
using Harness.Answers;
using Harness.Plugins.Shared;

namespace Harness.Tests.Property;

/// <summary>
/// The plugins' hand-written text scanners against the regular expressions they replace, on text made of the
/// characters where the two could part: letters of every case category, digits of other scripts, marks, joiners,
/// CJK, tags, hyphens, apostrophes, underscores, other numbers, surrogate pairs.
/// </summary>
public class TextScanProperties
{
    private const int Cases = 3000;

    private static readonly string[] Pieces =
    [
        "a", "Z", "é", "É", "ß", "ǅ", "ʰ", "中", "文", "ア", "한", "1", "٣", "²", "_", "\u0301", "\u0903", "\u200D", "\u200C",
        "<", ">", "/", "<think>", "</think>", "-", "'", "+", "=", " ", "\n", ".", "😀", "wait", "Check", "again", "I", "ı", "K",
    ];

    private static Arbitrary<string> Texts { get; } =
        Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n)).Select(p => string.Concat(p)).ToArbitrary();

    private static readonly Regex TextWordPattern = new(@"(?<![<\/])\b[\p{L}\d][\p{L}\p{M}\d+=\-]*");
    private static readonly Regex AlphabeticWordPattern = new(@"(?<![<\/\w])\p{L}[\p{L}\p{M}]*(['-]\p{L}[\p{L}\p{M}]*)*(?!\w)");

    private static List<(int, int)> Scanned(string text, Func<string, int, (int Start, int Length)> next)
    {
        var found = new List<(int, int)>();
        for (var (start, length) = next(text, 0); start >= 0; (start, length) = next(text, start + length)) found.Add((start, length));
        return found;
    }

    private static List<(int, int)> Matched(Regex pattern, string text) => [.. pattern.Matches(text).Select(m => (m.Index, m.Length))];

    [Property(MaxTest = Cases)]
    public FsCheck.Property Text_words_are_what_their_pattern_matches() =>
        Prop.ForAll(Texts, text => Scanned(text, (t, from) => (TextWords.Next(t, from, out var n), n)).SequenceEqual(Matched(TextWordPattern, text))
            && TextWords.Of(text).SequenceEqual(TextWordPattern.Matches(text).Select(m => m.Value)));

    [Property(MaxTest = Cases)]
    public FsCheck.Property Alphabetic_words_are_what_their_pattern_matches() =>
        Prop.ForAll(Texts, text => Scanned(text, (t, from) => (TextLanguage.Next(t, from, out var n), n)).SequenceEqual(Matched(AlphabeticWordPattern, text)));

    [Property(MaxTest = Cases)]
    public FsCheck.Property Word_counts_split_Chinese_and_Japanese_words_into_characters() =>
        Prop.ForAll(Texts, text =>
        {
            // LaTeX commands are no words; the pieces have none, so every alphabetic word counts.
            var words = AlphabeticWordPattern.Matches(text).Sum(m => m.Value.Any(IsHanOrKana) ? m.Value.Length : 1);
            var (counted, foreign) = TextLanguage.Foreign(text, TextLanguage.English);
            return counted == words && foreign >= 0 && foreign <= counted;
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Ngram_repetition_equals_counting_joined_ngrams() =>
        Prop.ForAll(Gen.Choose(0, 40).SelectMany(k => Gen.ArrayOf(Gen.Elements("wait", "Wait", "WAIT", "check", "12+3=15", "é", "É", "x", "the", "<b>", "中", "7", "٣", "1"), k))
            .SelectMany(words => Gen.Elements(" ", ", ", "\n").Select(separator => string.Join(separator, words))).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (text, n) =>
        {
            var words = TextWords.Of(text).Select(w => w.ToUpperInvariant()).ToArray();
            var result = NGramRepetition.Of(text, n);
            if (words.Length < n) return result == new NGramRepetition(words.Length == 0 ? 0 : 1, 0);
            var grams = Enumerable.Range(0, words.Length - n + 1).Select(i => string.Join(' ', words, i, n)).ToArray();
            var counts = grams.GroupBy(g => g).Select(g => (Gram: g.Key, Count: g.Count())).ToArray();
            // Only n-grams with at most one bare number count toward the most repeats.
            var most = counts.Where(c => c.Gram.Split(' ').Count(w => w.All(char.IsDigit)) < 2).Select(c => c.Count).DefaultIfEmpty(0).Max();
            return result.MostRepeats == most && Math.Abs(result.RepeatedShare - (grams.Length - counts.Length) / (double)grams.Length) < 1e-12;
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property The_tags_reading_is_what_the_block_patterns_match() =>
        Prop.ForAll(Gen.Choose(0, 14).SelectMany(n => Gen.ArrayOf(Gen.Elements("<think>", "</think>", "<answer>", "</answer>", "<think", "42", " wait ", "\n", "x", "<"), n))
            .Select(p => string.Concat(p)).ToArbitrary(), text =>
        {
            var think = Regex.Match(text, "<think>(.*?)</think>", RegexOptions.Singleline);
            var answers = Regex.Matches(text, "<answer>(.*?)</answer>", RegexOptions.Singleline);
            var reading = new CompletionReader(AnswerFormat.Tags, ThinkLayout.Required).Read(text);
            var open = text.IndexOf("<think>", StringComparison.Ordinal);
            var close = text.IndexOf("</think>", StringComparison.Ordinal);
            var reasoning = think.Success ? (think.Groups[1].Index, think.Groups[1].Length)
                : open >= 0 ? (open + 7, (reading.Answer is { Format: "tags" } a && a.Markup.Start > open ? a.Markup.Start : text.Length) - open - 7)
                : close >= 0 ? (0, close)
                // No tag and no answer under a layout that asks for a think block: cut inside it, all reasoning.
                : answers.Count == 0 ? (0, text.Length)
                : ((int, int)?)null;
            var block = think.Success || (open < 0 && close >= 0) ? ThinkBlock.Closed : open >= 0 || answers.Count == 0 ? ThinkBlock.Unclosed : ThinkBlock.None;
            return reading.Answer?.Text == (answers.Count > 0 ? answers[^1].Groups[1].Value : null)
                && reading.Answer?.Markup.End == (answers.Count > 0 ? answers[^1].Index + answers[^1].Length : null)
                && (reading.Reasoning is { } r ? (r.Start, r.Length) : ((int, int)?)null) == reasoning
                && reading.Think == block;
        });

    private static bool IsHanOrKana(char c) => c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';
}
