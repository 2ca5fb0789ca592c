using System.Text.RegularExpressions;

namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>A piece of text on its way to the model; <paramref name="AtStart"/> when it begins the whole input (Metaspace's "first" scheme asks).</summary>
public readonly record struct Piece(string Text, bool AtStart);

/// <summary>A tokenizer's <c>pre_tokenizer</c>: splits normalized text into the words BPE encodes one by one.</summary>
public abstract record PreTokenizer
{
    public const string Supported = "Split, ByteLevel, Metaspace, Digits, Whitespace, WhitespaceSplit, Sequence";

    // GPT-2's word pattern, which ByteLevel applies when use_regex is true (tokenizers' byte_level.rs).
    private const string Gpt2Words = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public abstract void Split(Piece piece, List<Piece> output);

    public static PreTokenizer? Parse(JsonField field) => field.IsNull ? null : field.Type switch
    {
        "Split" => new SplitOn(Pattern.Parse(field["pattern"]), BehaviorOf(field["behavior"]), field["invert"].Bool(false)),
        "ByteLevel" => new ByteLevel(field["add_prefix_space"].Bool(true), field["use_regex"].Bool(true)),
        "Metaspace" => Metaspace.FromJson(field),
        "Digits" => new SplitOn(new Regex(field["individual_digits"].Bool(false) ? @"\p{Nd}" : @"\p{Nd}+"), SplitBehavior.Isolated, false),
        "Whitespace" => new SplitOn(new Regex(@"\w+|[^\w\s]+"), SplitBehavior.Removed, true),
        "WhitespaceSplit" => new SplitOn(new Regex(@"\S+"), SplitBehavior.Removed, true),
        "Sequence" => new Sequence([.. field["pretokenizers"].Items.Select(Parse).OfType<PreTokenizer>()]),
        _ => throw field.Unsupported("pre-tokenizer", Supported),
    };

    private static SplitBehavior BehaviorOf(JsonField field) => field.String() switch
    {
        "Isolated" => SplitBehavior.Isolated,
        "Removed" => SplitBehavior.Removed,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        _ => throw field.Error("must be Isolated, Removed, MergedWithPrevious, MergedWithNext or Contiguous"),
    };

    public enum SplitBehavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous }

    /// <summary>
    /// Splits at a pattern's matches, which become pieces of their own, vanish, or join a neighbour, as tokenizers'
    /// <c>SplitDelimiterBehavior</c> says (pattern.rs and normalizer.rs of huggingface/tokenizers). With
    /// <paramref name="Invert"/> the matches are the words and what lies between them the delimiters.
    /// </summary>
    public sealed record SplitOn(Regex Pattern, SplitBehavior Behavior, bool Invert) : PreTokenizer
    {
        public override void Split(Piece piece, List<Piece> output)
        {
            var text = piece.Text;
            var (searched, offsets) = CodePoints.StandIns(text);
            var spans = new List<(int Start, int End, bool Delimiter)>();
            var at = 0;
            foreach (Match m in Pattern.Matches(searched))
            {
                if (m.Length == 0) continue;
                var (start, end) = offsets is null ? (m.Index, m.Index + m.Length) : (offsets[m.Index], offsets[m.Index + m.Length]);
                if (start > at) spans.Add((at, start, Invert));
                spans.Add((start, end, !Invert));
                at = end;
            }
            if (at < text.Length) spans.Add((at, text.Length, Invert));

            var pieces = new List<(int Start, int End)>();
            var previousDelimiter = false;
            switch (Behavior)
            {
                case SplitBehavior.Isolated:
                    pieces.AddRange(spans.Select(s => (s.Start, s.End)));
                    break;
                case SplitBehavior.Removed:
                    pieces.AddRange(spans.Where(s => !s.Delimiter).Select(s => (s.Start, s.End)));
                    break;
                case SplitBehavior.MergedWithPrevious:
                    foreach (var (start, end, delimiter) in spans)
                    {
                        if (delimiter && !previousDelimiter && pieces.Count > 0) pieces[^1] = (pieces[^1].Start, end);
                        else pieces.Add((start, end));
                        previousDelimiter = delimiter;
                    }
                    break;
                case SplitBehavior.MergedWithNext:
                    for (var i = spans.Count - 1; i >= 0; i--)
                    {
                        var (start, end, delimiter) = spans[i];
                        if (delimiter && !previousDelimiter && pieces.Count > 0) pieces[^1] = (start, pieces[^1].End);
                        else pieces.Add((start, end));
                        previousDelimiter = delimiter;
                    }
                    pieces.Reverse();
                    break;
                case SplitBehavior.Contiguous:
                    foreach (var (start, end, delimiter) in spans)
                    {
                        if (delimiter == previousDelimiter && pieces.Count > 0) pieces[^1] = (pieces[^1].Start, end);
                        else pieces.Add((start, end));
                        previousDelimiter = delimiter;
                    }
                    break;
            }
            foreach (var (start, end) in pieces) output.Add(new Piece(text[start..end], piece.AtStart && start == 0));
        }
    }

    /// <summary>Optionally a leading space and GPT-2's word split, then every byte written in <see cref="ByteLevelAlphabet"/>.</summary>
    public sealed record ByteLevel(bool AddPrefixSpace, bool UseRegex) : PreTokenizer
    {
        private static readonly SplitOn Words = new(new Regex(Gpt2Words, RegexOptions.CultureInvariant), SplitBehavior.Isolated, false);

        public override void Split(Piece piece, List<Piece> output)
        {
            var text = AddPrefixSpace && !piece.Text.StartsWith(' ') ? " " + piece.Text : piece.Text;
            if (!UseRegex)
            {
                output.Add(piece with { Text = ByteLevelAlphabet.Encode(text) });
                return;
            }
            var words = new List<Piece>();
            Words.Split(piece with { Text = text }, words);
            foreach (var word in words) output.Add(word with { Text = ByteLevelAlphabet.Encode(word.Text) });
        }
    }

    /// <summary>SentencePiece's spaces: each becomes the replacement (▁), one is prepended per the scheme, and words start at each replacement.</summary>
    public sealed record Metaspace(string Replacement, string PrependScheme, bool SplitWords) : PreTokenizer
    {
        private readonly SplitOn _words = new(new Regex(Regex.Escape(Replacement)), SplitBehavior.MergedWithNext, false);

        public static Metaspace FromJson(JsonField field)
        {
            var replacement = field["replacement"].String("▁");
            // Files before tokenizers 0.19 write add_prefix_space instead of prepend_scheme.
            var scheme = field.Has("prepend_scheme") ? field["prepend_scheme"].String() : field["add_prefix_space"].Bool(true) ? "always" : "never";
            if (scheme is not ("always" or "first" or "never")) throw field["prepend_scheme"].Error("must be always, first or never");
            return new Metaspace(replacement, scheme, field["split"].Bool(true));
        }

        public override void Split(Piece piece, List<Piece> output)
        {
            var text = piece.Text.Replace(" ", Replacement);
            var prepend = PrependScheme == "always" || (PrependScheme == "first" && piece.AtStart);
            if (prepend && !text.StartsWith(Replacement, StringComparison.Ordinal)) text = Replacement + text;
            if (SplitWords) _words.Split(piece with { Text = text }, output);
            else output.Add(piece with { Text = text });
        }
    }

    private sealed record Sequence(PreTokenizer[] Steps) : PreTokenizer
    {
        public override void Split(Piece piece, List<Piece> output)
        {
            List<Piece> current = [piece];
            foreach (var step in Steps)
            {
                var next = new List<Piece>();
                foreach (var p in current) step.Split(p, next);
                current = next;
            }
            output.AddRange(current);
        }
    }
}

/// <summary>
/// .NET's regular expressions see a character outside the BMP as two surrogates of no letter or number class, where the
/// Rust regex of tokenizers sees one code point of its own class: so a pattern is run over a copy in which each such
/// code point is one BMP stand-in of the same Unicode category, and match positions are mapped back.
/// </summary>
public static class CodePoints
{
    private static readonly Dictionary<System.Globalization.UnicodeCategory, char> StandIn = Build();

    private static Dictionary<System.Globalization.UnicodeCategory, char> Build()
    {
        var table = new Dictionary<System.Globalization.UnicodeCategory, char>();
        for (var c = (char)0x80; c < 0xFFFF; c++)
            if (!char.IsSurrogate(c)) table.TryAdd(char.GetUnicodeCategory(c), c);
        return table;
    }

    /// <summary>The text to search and, when it has surrogates, the offset in <paramref name="text"/> of each of its positions (one more for the end).</summary>
    public static (string Searched, int[]? Offsets) StandIns(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return (text, null);
        var searched = new System.Text.StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length;)
        {
            offsets.Add(i);
            if (System.Text.Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) == System.Buffers.OperationStatus.Done && used == 2)
                searched.Append(StandIn.GetValueOrDefault(System.Text.Rune.GetUnicodeCategory(rune), '\uE000'));
            else searched.Append(text[i]);
            i += Math.Max(used, 1);
        }
        offsets.Add(text.Length);
        return (searched.ToString(), [.. offsets]);
    }
}
