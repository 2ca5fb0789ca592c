using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>A tokenizer's <c>normalizer</c>: text in, text out, before pre-tokenization.</summary>
public abstract record Normalizer
{
    public const string Supported = "NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace, Strip, Sequence";

    public abstract string Apply(string text);

    public static Normalizer? Parse(JsonField field) => field.IsNull ? null : field.Type switch
    {
        "NFC" => new Unicode(NormalizationForm.FormC),
        "NFD" => new Unicode(NormalizationForm.FormD),
        "NFKC" => new Unicode(NormalizationForm.FormKC),
        "NFKD" => new Unicode(NormalizationForm.FormKD),
        "Lowercase" => new Lowercase(),
        "Prepend" => new Prepend(field["prepend"].String()),
        "Replace" => new Replace(Pattern.Parse(field["pattern"]), field["content"].String()),
        "Strip" => new Strip(field["strip_left"].Bool(false), field["strip_right"].Bool(false)),
        "Sequence" => new Sequence([.. field["normalizers"].Items.Select(Parse).OfType<Normalizer>()]),
        _ => throw field.Unsupported("normalizer", Supported),
    };

    private sealed record Unicode(NormalizationForm Form) : Normalizer
    {
        public override string Apply(string text) => text.Normalize(Form);
    }

    private sealed record Lowercase : Normalizer
    {
        public override string Apply(string text) => text.ToLowerInvariant();
    }

    /// <summary>Prepends to non-empty text (SentencePiece's leading ▁ in Llama-2's tokenizer).</summary>
    private sealed record Prepend(string Prefix) : Normalizer
    {
        public override string Apply(string text) => text.Length == 0 ? text : Prefix + text;
    }

    private sealed record Replace(Regex Pattern, string Content) : Normalizer
    {
        public override string Apply(string text) => Pattern.Replace(text, Content.Replace("$", "$$"));
    }

    private sealed record Strip(bool Left, bool Right) : Normalizer
    {
        public override string Apply(string text) => (Left, Right) switch
        {
            (true, true) => text.Trim(),
            (true, false) => text.TrimStart(),
            (false, true) => text.TrimEnd(),
            _ => text,
        };
    }

    private sealed record Sequence(Normalizer[] Steps) : Normalizer
    {
        public override string Apply(string text) => Steps.Aggregate(text, (t, step) => step.Apply(t));
    }
}

/// <summary>A <c>pattern</c> as tokenizer files write it: <c>{"String": "…"}</c> (literal) or <c>{"Regex": "…"}</c>.</summary>
public static class Pattern
{
    public static Regex Parse(JsonField field)
    {
        if (field.Has("String")) return new Regex(Regex.Escape(field["String"].String()), RegexOptions.CultureInvariant);
        if (!field.Has("Regex")) throw field.Error("must be {\"String\": ...} or {\"Regex\": ...}");
        try
        {
            return new Regex(field["Regex"].String(), RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw field["Regex"].Error($"is not a regular expression .NET reads: {e.Message}");
        }
    }
}
