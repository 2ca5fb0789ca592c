using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Plugins.Policies.HuggingFace.Tokenizer;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>
/// Ids and decoded text equal Hugging Face's own tokenizers (npm <c>tokenizers</c> 0.23.2, run once by
/// Fixtures/make-tokenizer-fixtures.sh) on Qwen3's and Llama-2's real vocabularies and variants of them: Llama-3's and
/// GPT-2's pre-tokenizers with ignore_merges, Metaspace with each prepend scheme, NFKC, split digits.
/// </summary>
public class TokenizerParityTests
{
    private static readonly string FixtureDirectory = Path.Combine(RepoRoot.Path, "tests/Golden/HuggingFace/Fixtures");
    private static readonly JsonNode Parity = JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, "tokenizer-parity.json")))!;
    private static readonly Dictionary<string, HfTokenizer> Loaded = [];

    public static TheoryData<string> Vocabularies => [.. Parity["vocabularies"]!.AsArray().Select(v => (string)v!["name"]!)];

    /// <summary>The vocabulary's tokenizer.json with its fixture's patch applied (top-level parts replaced, model fields merged), read once.</summary>
    public static HfTokenizer Tokenizer(string name)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(name, out var cached)) return cached;
            var entry = Vocabulary(name);
            var file = Path.Combine(FixtureDirectory, (string)entry["file"]!);
            var json = JsonNode.Parse(file.EndsWith(".gz") ? Gunzip(file) : File.ReadAllText(file))!.AsObject();
            if (entry["patch"] is JsonObject patch)
                foreach (var (key, value) in patch)
                {
                    if (key == "model")
                        foreach (var (field, setting) in value!.AsObject()) json["model"]![field] = setting?.DeepClone();
                    else json[key] = value?.DeepClone();
                }
            using var dir = new TempDirectory();
            var tokenizer = HfTokenizer.Read(dir.File("tokenizer.json", json.ToJsonString()));
            Loaded[name] = tokenizer;
            return tokenizer;
        }
    }

    private static JsonNode Vocabulary(string name) => Parity["vocabularies"]!.AsArray().Single(v => (string)v!["name"]! == name)!;

    private static string Gunzip(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static int[] Ids(JsonNode? node) => [.. node!.AsArray().Select(i => (int)i!)];

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Encoding_and_decoding_equal_hugging_face_tokenizers(string name)
    {
        var tokenizer = Tokenizer(name);
        var failures = new List<string>();
        foreach (var c in Vocabulary(name)["cases"]!.AsArray())
        {
            var text = (string)c!["text"]!;
            void Check<T>(string what, T expected, T actual)
            {
                if (!EqualityComparer<T>.Default.Equals(expected, actual) && !(expected is int[] e && actual is int[] a && e.SequenceEqual(a)))
                    failures.Add($"{what} of {JsonSerializer.Serialize(text)}: expected {Show(expected)}, got {Show(actual)}");
            }
            var ids = tokenizer.Encode(text);
            Check("ids", Ids(c["ids"]), ids);
            Check("ids with special tokens", Ids(c["ids_with_special"]), tokenizer.Encode(text, addSpecialTokens: true));
            Check("decoded", (string)c["decoded"]!, tokenizer.Decode(Ids(c["ids"])));
            Check("decoded skipping special tokens", (string)c["decoded_skipping_special"]!, tokenizer.Decode(Ids(c["ids_with_special"]), skipSpecialTokens: true));
            if (c["prefixes"] is JsonArray prefixes)
            {
                var expected = Ids(c["ids"]);
                for (var i = 0; i < prefixes.Count; i++) Check($"decoded prefix {i + 1}", (string)prefixes[i]!, tokenizer.Decode(expected[..(i + 1)]));
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} differences from tokenizers:\n" + string.Join("\n", failures.Take(12)));
    }

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void The_vocabulary_size_counts_added_tokens(string name) =>
        Assert.Equal((int)Vocabulary(name)["vocab_size"]!, Tokenizer(name).VocabSize);

    private static string Show<T>(T value) => value is int[] ids ? $"[{string.Join(", ", ids)}]" : JsonSerializer.Serialize(value);
}
