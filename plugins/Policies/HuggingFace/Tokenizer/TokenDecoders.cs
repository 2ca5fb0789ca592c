using System.Text;

namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>
/// A tokenizer's <c>decoder</c>: token strings back to text. Each step maps a list of strings to a list, as
/// huggingface/tokenizers' <c>decode_chain</c> does, so a Sequence can fuse, strip and map in the file's order.
/// </summary>
public abstract record TokenDecoder
{
    public const string Supported = "ByteLevel, ByteFallback, Fuse, Metaspace, Replace, Strip, Sequence";

    public abstract List<string> Apply(List<string> tokens);

    public static TokenDecoder? Parse(JsonField field) => field.IsNull ? null : field.Type switch
    {
        "ByteLevel" => new ByteLevel(),
        "ByteFallback" => new ByteFallback(),
        "Fuse" => new Fuse(),
        "Metaspace" => new MetaspaceDecoder(PreTokenizer.Metaspace.FromJson(field)),
        "Replace" => new Replace(field["pattern"].Has("String") ? field["pattern"]["String"].String() : throw field["pattern"].Error("must be {\"String\": ...} in a decoder"), field["content"].String()),
        "Strip" => new Strip(field["content"].String(), field["start"].Int(), field["stop"].Int()),
        "Sequence" => new Sequence([.. field["decoders"].Items.Select(Parse).OfType<TokenDecoder>()]),
        _ => throw field.Unsupported("decoder", Supported),
    };

    /// <summary>All tokens' characters read as bytes of <see cref="ByteLevelAlphabet"/> (a token outside it, an added token, as its own UTF-8), then decoded; bad UTF-8 becomes U+FFFD.</summary>
    private sealed record ByteLevel : TokenDecoder
    {
        public override List<string> Apply(List<string> tokens)
        {
            var bytes = new List<byte>();
            foreach (var token in tokens)
            {
                var start = bytes.Count;
                foreach (var c in token)
                {
                    if (ByteLevelAlphabet.TryByte(c, out var b)) bytes.Add(b);
                    else
                    {
                        bytes.RemoveRange(start, bytes.Count - start);
                        bytes.AddRange(Encoding.UTF8.GetBytes(token));
                        break;
                    }
                }
            }
            return [Encoding.UTF8.GetString([.. bytes])];
        }
    }

    /// <summary>Runs of <c>&lt;0xXX&gt;</c> tokens become the text their bytes spell, or one U+FFFD per byte when they are not valid UTF-8.</summary>
    private sealed record ByteFallback : TokenDecoder
    {
        private static readonly UTF8Encoding Strict = new(false, true);

        public override List<string> Apply(List<string> tokens)
        {
            var output = new List<string>();
            var pending = new List<byte>();
            void Flush()
            {
                if (pending.Count == 0) return;
                try
                {
                    output.Add(Strict.GetString([.. pending]));
                }
                catch (DecoderFallbackException)
                {
                    output.AddRange(Enumerable.Repeat("\uFFFD", pending.Count));
                }
                pending.Clear();
            }
            foreach (var token in tokens)
            {
                if (BpeModel.TryByteToken(token, out var b)) pending.Add(b);
                else
                {
                    Flush();
                    output.Add(token);
                }
            }
            Flush();
            return output;
        }
    }

    private sealed record Fuse : TokenDecoder
    {
        public override List<string> Apply(List<string> tokens) => [string.Concat(tokens)];
    }

    private sealed record Replace(string Pattern, string Content) : TokenDecoder
    {
        public override List<string> Apply(List<string> tokens) => [.. tokens.Select(t => t.Replace(Pattern, Content, StringComparison.Ordinal))];
    }

    /// <summary>Removes up to <paramref name="Start"/> leading and <paramref name="Stop"/> trailing copies of a character from every token.</summary>
    private sealed record Strip(string Content, int Start, int Stop) : TokenDecoder
    {
        public override List<string> Apply(List<string> tokens) => [.. tokens.Select(StripOne)];

        private string StripOne(string token)
        {
            var (from, to) = (0, token.Length);
            for (var i = 0; i < Start && from < to && token.AsSpan(from).StartsWith(Content, StringComparison.Ordinal); i++) from += Content.Length;
            for (var i = 0; i < Stop && to - Content.Length >= from && token.AsSpan(0, to).EndsWith(Content, StringComparison.Ordinal); i++) to -= Content.Length;
            return token[from..to];
        }
    }

    /// <summary>The replacement back to spaces, except in the first token, where the library drops every replacement (the scheme's prepended one with the rest).</summary>
    private sealed record MetaspaceDecoder(PreTokenizer.Metaspace Settings) : TokenDecoder
    {
        public override List<string> Apply(List<string> tokens) => [.. tokens.Select((token, i) =>
            token.Replace(Settings.Replacement, i == 0 && Settings.PrependScheme != "never" ? "" : " ", StringComparison.Ordinal))];
    }

    private sealed record Sequence(TokenDecoder[] Steps) : TokenDecoder
    {
        public override List<string> Apply(List<string> tokens) => Steps.Aggregate(tokens, (t, step) => step.Apply(t));
    }
}
