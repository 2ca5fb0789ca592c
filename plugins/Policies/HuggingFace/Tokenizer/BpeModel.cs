using System.Text;

namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>
/// A BPE vocabulary and its merges (<c>model</c> of type BPE in tokenizer.json): a word starts as its characters and
/// the adjacent pair of lowest merge rank joins until none is left, as huggingface/tokenizers' <c>models/bpe</c>
/// does. Characters outside the vocabulary become their UTF-8 bytes' <c>&lt;0xXX&gt;</c> tokens under byte fallback
/// (Llama-2) when the vocabulary has them all, else the unknown token, else nothing.
/// </summary>
public sealed class BpeModel
{
    private const int CacheWords = 50_000;
    private const int CachedWordLength = 256;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<(int Left, int Right), (int Rank, int Id)> _merges;
    private readonly int? _unknown;
    private readonly bool _fuseUnknown, _byteFallback, _ignoreMerges;
    private readonly int[]? _byteIds;
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    private BpeModel(Dictionary<string, int> vocab, Dictionary<(int, int), (int, int)> merges, int? unknown, bool fuseUnknown, bool byteFallback, bool ignoreMerges)
    {
        (_vocab, _merges, _unknown, _fuseUnknown, _byteFallback, _ignoreMerges) = (vocab, merges, unknown, fuseUnknown, byteFallback, ignoreMerges);
        if (byteFallback)
        {
            _byteIds = [.. Enumerable.Range(0, 256).Select(b => vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1)];
        }
        Tokens = new string[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab) Tokens[id] = token;
    }

    /// <summary>Each id's token string, indexed by id (null where the vocabulary skips an id).</summary>
    public string?[] Tokens { get; }

    public bool TryGetId(string token, out int id) => _vocab.TryGetValue(token, out id);

    public static BpeModel Parse(JsonField model)
    {
        if (model.Type != "BPE") throw model.Unsupported("model", "BPE");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model[affix].String("") != "") throw model[affix].Error("is not supported (this tokenizer reads BPE vocabularies without subword affixes)");
        if (model.Has("dropout") && model["dropout"].Value.GetDouble() != 0) throw model["dropout"].Error("must be null or 0: dropout makes encoding random");

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in model["vocab"].Properties)
        {
            var value = id.Int();
            if (value < 0) throw id.Error("must be a token id (0 or more)");
            vocab[token] = value;
        }
        var merges = new Dictionary<(int, int), (int, int)>();
        var rank = 0;
        foreach (var merge in model["merges"].Items)
        {
            var (left, right) = MergePair(merge);
            int Id(string part) => vocab.TryGetValue(part, out var id) ? id : throw merge.Error($"names '{part}', which is not in model.vocab");
            var pair = (Id(left), Id(right));
            if (!vocab.TryGetValue(left + right, out var joined)) throw merge.Error($"makes '{left + right}', which is not in model.vocab");
            merges.TryAdd(pair, (rank++, joined));
        }
        int? unknown = model["unk_token"].IsNull ? null
            : vocab.TryGetValue(model["unk_token"].String(), out var unk) ? unk : throw model["unk_token"].Error("is not in model.vocab");
        return new BpeModel(vocab, merges, unknown, model["fuse_unk"].Bool(false), model["byte_fallback"].Bool(false), model["ignore_merges"].Bool(false));
    }

    // Merges are written "left right" (tokenizers before 0.20) or ["left", "right"].
    private static (string Left, string Right) MergePair(JsonField merge)
    {
        if (merge.Value.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            var parts = merge.Items.Select(p => p.String()).ToArray();
            return parts.Length == 2 ? (parts[0], parts[1]) : throw merge.Error("must be a pair of tokens");
        }
        var text = merge.String();
        var space = text.IndexOf(' ', 1);
        return space > 0 && space < text.Length - 1 && text.IndexOf(' ', space + 1) < 0 ? (text[..space], text[(space + 1)..]) : throw merge.Error("must be two tokens separated by one space");
    }

    /// <summary>Appends the ids of one pre-tokenized word.</summary>
    public void Encode(string word, List<int> output)
    {
        if (word.Length <= CachedWordLength)
        {
            int[]? cached;
            lock (_cacheLock) _cache.TryGetValue(word, out cached);
            if (cached is null)
            {
                cached = [.. Merge(word)];
                lock (_cacheLock)
                    if (_cache.Count < CacheWords) _cache[word] = cached;
            }
            output.AddRange(cached);
            return;
        }
        output.AddRange(Merge(word));
    }

    private List<int> Merge(string word)
    {
        if (_ignoreMerges && _vocab.TryGetValue(word, out var whole)) return [whole];
        var ids = new List<int>();
        var lastWasUnknown = false;
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in word.EnumerateRunes())
        {
            var text = rune.ToString();
            if (_vocab.TryGetValue(text, out var id))
            {
                ids.Add(id);
                lastWasUnknown = false;
            }
            else if (_byteIds is not null && rune.EncodeToUtf8(bytes) is var count && bytes[..count].ToArray().All(b => _byteIds[b] >= 0))
            {
                for (var i = 0; i < count; i++) ids.Add(_byteIds[bytes[i]]);
                lastWasUnknown = false;
            }
            else if (_unknown is { } unknown)
            {
                if (!(_fuseUnknown && lastWasUnknown)) ids.Add(unknown);
                lastWasUnknown = true;
            }
        }
        if (ids.Count < 2) return ids;

        // Symbols in a linked list; a heap of candidate merges, lowest rank first and leftmost among equals.
        var next = Enumerable.Range(1, ids.Count).ToArray();
        next[^1] = -1;
        var previous = Enumerable.Range(-1, ids.Count).ToArray();
        var alive = Enumerable.Repeat(true, ids.Count).ToArray();
        var queue = new PriorityQueue<(int Position, int Left, int Right, int Id), (int Rank, int Position)>();
        void Offer(int position)
        {
            if (position < 0 || next[position] < 0) return;
            var pair = (ids[position], ids[next[position]]);
            if (_merges.TryGetValue(pair, out var merge)) queue.Enqueue((position, pair.Item1, pair.Item2, merge.Id), (merge.Rank, position));
        }
        for (var i = 0; i < ids.Count - 1; i++) Offer(i);
        while (queue.TryDequeue(out var top, out _))
        {
            var right = next[top.Position];
            if (!alive[top.Position] || right < 0 || ids[top.Position] != top.Left || ids[right] != top.Right) continue;
            ids[top.Position] = top.Id;
            alive[right] = false;
            next[top.Position] = next[right];
            if (next[right] >= 0) previous[next[right]] = top.Position;
            Offer(previous[top.Position]);
            Offer(top.Position);
        }
        var merged = new List<int>();
        for (var i = 0; i >= 0; i = next[i]) merged.Add(ids[i]);
        return merged;
    }

    /// <summary>The token of a byte-fallback id (<c>&lt;0x41&gt;</c>) as its byte, for decoders.</summary>
    public static bool TryByteToken(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }
}
