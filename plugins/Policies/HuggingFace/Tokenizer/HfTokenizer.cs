using System.Text.Json;

namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> with a BPE model, read once: added tokens, normalizer, pre-tokenizer, BPE,
/// post-processor and decoder, each applied in the order huggingface/tokenizers' <c>TokenizerImpl</c> applies them.
/// This covers byte-level BPE (GPT-2, Qwen, Llama-3) and SentencePiece-style BPE with byte fallback (Llama-2, Mistral).
/// Written from the file format and the library's documented behaviour; parity with the library is tested on real
/// vocabularies (tests/Golden/HuggingFace/Fixtures).
/// </summary>
public sealed class HfTokenizer
{
    private readonly BpeModel _model;
    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly TokenDecoder? _decoder;
    private readonly PostProcessor _postProcessor;
    private readonly AddedTokenMatcher _raw, _normalized;
    private readonly Dictionary<int, AddedToken> _added;
    private readonly string?[] _tokens;

    private string? _json;

    private HfTokenizer(string path, BpeModel model, Normalizer? normalizer, PreTokenizer? preTokenizer, TokenDecoder? decoder, PostProcessor postProcessor, AddedToken[] added)
    {
        (Path, _model, _normalizer, _preTokenizer, _decoder, _postProcessor) = (path, model, normalizer, preTokenizer, decoder, postProcessor);
        _added = added.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.Last());
        _raw = new AddedTokenMatcher(added.Where(t => !t.Normalized));
        _normalized = new AddedTokenMatcher(added.Where(t => t.Normalized));
        _tokens = new string?[Math.Max(model.Tokens.Length, added.Length == 0 ? 0 : added.Max(t => t.Id) + 1)];
        model.Tokens.CopyTo(_tokens, 0);
        foreach (var token in added) _tokens[token.Id] = token.Content;
    }

    /// <summary>The file it was read from, for messages.</summary>
    public string Path { get; }

    /// <summary>One more than the largest id the tokenizer can produce: ids at or past it are padding of the embedding.</summary>
    public int VocabSize => _tokens.Length;

    /// <summary>Added tokens, by id.</summary>
    public IReadOnlyDictionary<int, AddedToken> AddedTokens => _added;

    /// <exception cref="InvalidDataException">The file is not valid JSON or uses a part this tokenizer does not implement; the message names the file and the field.</exception>
    public static HfTokenizer Read(string path) => Parse(path, File.ReadAllBytes(path));

    /// <summary>A tokenizer.json held in memory (one just trained); <paramref name="name"/> stands for the file in messages.</summary>
    public static HfTokenizer FromJson(string name, string json)
    {
        var tokenizer = Parse(name, System.Text.Encoding.UTF8.GetBytes(json));
        tokenizer._json = json;
        return tokenizer;
    }

    /// <summary>Writes the tokenizer.json it was read from.</summary>
    public void WriteTo(string path)
    {
        if (_json is not null) File.WriteAllText(path, _json);
        else File.Copy(Path, path, overwrite: true);
    }

    private static HfTokenizer Parse(string path, byte[] bytes)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        var file = new JsonField(path, "", root);
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: the top level is not a JSON object.");
        if (!file["model"].Has("type")) throw file["model"]["type"].Error("must name the model (BPE)");
        var added = file.Has("added_tokens") ? file["added_tokens"].Items.Select(AddedToken.Parse).ToArray() : [];
        return new HfTokenizer(path, BpeModel.Parse(file["model"]), Normalizer.Parse(file["normalizer"]), PreTokenizer.Parse(file["pre_tokenizer"]),
            TokenDecoder.Parse(file["decoder"]), PostProcessor.Parse(file["post_processor"]), added);
    }

    /// <summary>The ids of a text; with <paramref name="addSpecialTokens"/>, wrapped as the post-processor says (Llama's BOS).</summary>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        if (addSpecialTokens) ids.AddRange(_postProcessor.Before);
        foreach (var (start, end, token) in _raw.Split(text))
        {
            if (token is not null)
            {
                ids.Add(token.Id);
                continue;
            }
            var segment = text[start..end];
            var normalized = _normalizer?.Apply(segment) ?? segment;
            foreach (var (from, to, inner) in _normalized.Split(normalized))
            {
                if (inner is not null) ids.Add(inner.Id);
                else EncodeWords(new Piece(normalized[from..to], start == 0 && from == 0), ids);
            }
        }
        if (addSpecialTokens) ids.AddRange(_postProcessor.After);
        return [.. ids];
    }

    private void EncodeWords(Piece piece, List<int> ids)
    {
        if (_preTokenizer is null)
        {
            _model.Encode(piece.Text, ids);
            return;
        }
        var words = new List<Piece>();
        _preTokenizer.Split(piece, words);
        foreach (var word in words) _model.Encode(word.Text, ids);
    }

    /// <summary>The text of ids, through the decoder; special tokens are kept unless <paramref name="skipSpecialTokens"/>.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && _added.TryGetValue(id, out var added) && added.Special) continue;
            if (Token(id) is { } token) tokens.Add(token);
        }
        return _decoder is null ? string.Join(" ", tokens) : string.Concat(_decoder.Apply(tokens));
    }

    /// <summary>The vocabulary's string for an id (<c>Ġthe</c>, <c>▁the</c>, <c>&lt;|im_end|&gt;</c>); null for an id it does not have.</summary>
    public string? Token(int id) => id >= 0 && id < _tokens.Length ? _tokens[id] : null;

    /// <summary>The id of a token string (an added token or one of the vocabulary's); null when there is none.</summary>
    public int? Id(string token)
    {
        foreach (var added in _added.Values)
            if (added.Content == token) return added.Id;
        return _model.TryGetId(token, out var id) ? id : null;
    }
}
