using Harness.Plugins.Policies.HuggingFace.Tokenizer;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>A tokenizer.json this tokenizer cannot follow is refused with the file and the field named.</summary>
public class TokenizerFileTests
{
    private const string Vocab = """{"a": 0, "b": 1, "ab": 2, "<0x41>": 3}""";

    [Theory]
    [InlineData("""{"model": {"type": "Unigram", "vocab": []}}""", "model.type 'Unigram' is not a model this tokenizer implements; supported: BPE")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}""", "model.merges[0] names 'b', which is not in model.vocab")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}}""", "model.merges[0] makes 'ab', which is not in model.vocab")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["ab"]}}""", "model.merges[0] must be two tokens separated by one space")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}}""", "model.vocab.a must be a token id")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "<unk>"}}""", "model.unk_token is not in model.vocab")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "continuing_subword_prefix": "##"}}""", "model.continuing_subword_prefix is not supported")]
    [InlineData("""{"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Punctuation"}]}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "pre_tokenizer.pretokenizers[0].type 'Punctuation' is not a pre-tokenizer this tokenizer implements")]
    [InlineData("""{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(?<"}, "behavior": "Isolated"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "pre_tokenizer.pattern.Regex is not a regular expression .NET reads")]
    [InlineData("""{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Sideways"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "pre_tokenizer.behavior must be Isolated, Removed")]
    [InlineData("""{"normalizer": {"type": "Precompiled"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "normalizer.type 'Precompiled' is not a normalizer")]
    [InlineData("""{"decoder": {"type": "WordPiece"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "decoder.type 'WordPiece' is not a decoder")]
    [InlineData("""{"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}}], "special_tokens": {}}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "post_processor.single[0].SpecialToken.id is not in special_tokens")]
    [InlineData("""{"added_tokens": [{"id": 5, "content": ""}], "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "added_tokens[0].content must not be empty")]
    [InlineData("""{"model": {"vocab": {}}}""", "model.type must name the model (BPE)")]
    [InlineData("""[1, 2]""", "the top level is not a JSON object")]
    [InlineData("""{"model": """, "not valid JSON")]
    public void A_file_it_cannot_follow_is_refused_naming_the_field(string json, string message)
    {
        using var dir = new TempDirectory();
        var path = dir.File("tokenizer.json", json);

        var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.Read(path));

        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Byte_fallback_spells_unknown_characters_as_bytes_and_merges_apply_by_rank()
    {
        using var dir = new TempDirectory();
        var tokenizer = HfTokenizer.Read(dir.File("tokenizer.json", $$$"""
            {"added_tokens": [{"id": 4, "content": "<s>", "special": true}],
             "model": {"type": "BPE", "vocab": {{{Vocab}}}, "merges": ["a b"], "byte_fallback": true},
             "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Fuse"}]}}
            """));

        // "A" is not in the vocabulary but its byte is; "C"'s byte is not, and no unknown token is set, so it is dropped.
        Assert.Equal([2, 3, 4, 1, 0], tokenizer.Encode("abA<s>ba"));
        Assert.Equal([2, 3], tokenizer.Encode("abAC"));
        Assert.Equal("abA<s>", tokenizer.Decode([2, 3, 4]));
        Assert.Equal("abA", tokenizer.Decode([2, 3, 4], skipSpecialTokens: true));
        Assert.Equal(5, tokenizer.VocabSize);
        Assert.Equal(4, tokenizer.Id("<s>"));
        Assert.Null(tokenizer.Token(9));
    }
}
