using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>
/// Learns a byte-level BPE vocabulary from documents and writes it as a tokenizer.json in the layout of Qwen's: NFC,
/// Qwen2's pre-tokenizer (which keeps every digit a token of its own, so column sums stay learnable), the 256
/// byte characters, merges by frequency, and added tokens after them: the special <c>&lt;|endoftext|&gt;</c> (end of
/// text), <c>&lt;|begin_of_text|&gt;</c> (put in front by the post-processor, as Llama-3's tokenizer does) and ChatML's
/// <c>&lt;|im_start|&gt;</c>/<c>&lt;|im_end|&gt;</c>; then the reasoning tags as plain added tokens, as Qwen3's
/// tokenizer has &lt;think&gt;, so that a prompt ends on the same token alone as in front of its completion's first
/// tag (no "?&lt;" merged across the boundary). Ties between equally frequent pairs go to the ordinally smaller pair,
/// so a corpus always gives the same vocabulary.
/// </summary>
public static class BpeTrainer
{
    public const string EndOfText = "<|endoftext|>";
    public const string BeginOfText = "<|begin_of_text|>";
    public static readonly string[] SpecialTokens = [EndOfText, BeginOfText, "<|im_start|>", "<|im_end|>"];
    public static readonly string[] TagTokens = ["<think>", "</think>", "<answer>", "</answer>"];

    /// <summary>Ids that are not learned: the special and tag tokens.</summary>
    public static int AddedCount => SpecialTokens.Length + TagTokens.Length;

    // Qwen2's tokenizer.json pre-tokenizer pattern: contractions, letters with one leading non-letter, single digits, punctuation runs, newlines, spaces.
    private const string QwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private static JsonObject PreTokenizerJson() => new()
    {
        ["type"] = "Sequence",
        ["pretokenizers"] = new JsonArray(
            new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = QwenPattern }, ["behavior"] = "Isolated", ["invert"] = false },
            new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
    };

    /// <summary>A tokenizer.json with at most <paramref name="vocabSize"/> ids (bytes, merges and the special tokens) learned from <paramref name="documents"/>.</summary>
    public static string Train(IEnumerable<string> documents, int vocabSize)
    {
        var floor = 256 + AddedCount;
        if (vocabSize < floor) throw new ArgumentException($"a byte-level vocabulary needs at least {floor} ids (256 bytes and {AddedCount} added tokens), not {vocabSize}");
        var tags = new AddedTokenMatcher(TagTokens.Select((t, i) => new AddedToken(i, t, false, false, false, false, false)));
        var preTokenizer = PreTokenizer.Parse(new JsonField("(trainer)", "pre_tokenizer", JsonDocument.Parse(PreTokenizerJson().ToJsonString()).RootElement))!;

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var pieces = new List<Piece>();
        foreach (var document in documents)
        {
            pieces.Clear();
            foreach (var (start, end, tag) in tags.Split(document))
                if (tag is null) preTokenizer.Split(new Piece(document[start..end].Normalize(System.Text.NormalizationForm.FormC), start == 0), pieces);
            foreach (var piece in pieces) counts[piece.Text] = counts.GetValueOrDefault(piece.Text) + 1;
        }

        var vocab = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.CharOf((byte)b).ToString()).ToList();
        var words = counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (Symbols: c.Key.Select(ch => ch.ToString()).ToList(), Count: c.Value)).ToList();
        var merges = new List<(string, string)>();
        while (vocab.Count + AddedCount < vocabSize)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (symbols, count) in words)
                for (var i = 0; i + 1 < symbols.Count; i++)
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            if (pairs.Count == 0) break;
            var best = pairs.MaxBy(p => p.Value).Value;
            var (left, right) = pairs.Where(p => p.Value == best).Select(p => p.Key)
                .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal).First();
            merges.Add((left, right));
            vocab.Add(left + right);
            foreach (var (symbols, _) in words)
                for (var i = 0; i + 1 < symbols.Count; i++)
                    if (symbols[i] == left && symbols[i + 1] == right)
                    {
                        symbols[i] = left + right;
                        symbols.RemoveAt(i + 1);
                    }
        }
        return Json(vocab, merges);
    }

    private static string Json(List<string> vocab, List<(string, string)> merges)
    {
        var first = vocab.Count;
        var added = new JsonArray([.. SpecialTokens.Concat(TagTokens).Select((t, i) => (JsonNode?)new JsonObject
        {
            ["id"] = first + i, ["content"] = t, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = i < SpecialTokens.Length,
        })]);
        var bos = first + Array.IndexOf(SpecialTokens, BeginOfText);
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = PreTokenizerJson(),
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = BeginOfText, ["type_id"] = 0 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                ["pair"] = new JsonArray(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = BeginOfText, ["type_id"] = 0 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } },
                    new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = BeginOfText, ["type_id"] = 1 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "B", ["type_id"] = 1 } }),
                ["special_tokens"] = new JsonObject
                {
                    [BeginOfText] = new JsonObject { ["id"] = BeginOfText, ["ids"] = new JsonArray(bos), ["tokens"] = new JsonArray(BeginOfText) },
                },
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = new JsonObject(vocab.Select((t, i) => KeyValuePair.Create(t, (JsonNode?)i))),
                ["merges"] = new JsonArray([.. merges.Select(m => (JsonNode?)new JsonArray(m.Item1, m.Item2))]),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
