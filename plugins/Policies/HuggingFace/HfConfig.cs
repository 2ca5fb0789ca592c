using System.Text.Json;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>The decoder families this policy builds; they differ only in where biases and norms sit.</summary>
public enum HfFamily
{
    /// <summary>Qwen2 and Qwen2.5: biases on q, k and v.</summary>
    Qwen2,

    /// <summary>Llama (2 and 3) and Mistral: no biases unless <c>attention_bias</c>/<c>mlp_bias</c> say so.</summary>
    Llama,

    /// <summary>Qwen3: no q/k/v biases, an RMSNorm on each head's queries and keys.</summary>
    Qwen3,
}

/// <summary>Llama-3's <c>rope_scaling</c> (rope_type <c>llama3</c>): long wavelengths slowed by <c>Factor</c>, short ones kept, a smooth band between.</summary>
public sealed record Llama3RopeScaling(double Factor, double LowFrequencyFactor, double HighFrequencyFactor, int OriginalContext);

/// <summary>
/// A Hugging Face <c>config.json</c> of a causal LM, parsed once into what the model needs. Both transformers
/// generations are read: 4.x writes <c>rope_theta</c>, <c>rope_scaling</c> and <c>torch_dtype</c> at the top level,
/// 5.x writes <c>rope_parameters</c> (holding <c>rope_theta</c> and the scaling) and <c>dtype</c>. (Field names and
/// defaults as the configuration classes of transformers' <c>models/{qwen2,llama,mistral,qwen3}/configuration_*.py</c>
/// declare them.)
/// </summary>
/// <param name="AttentionBias">Whether q, k and v have biases.</param>
/// <param name="OutputBias">Whether o has a bias.</param>
public sealed record HfConfig(
    HfFamily Family,
    string ModelType,
    string Architecture,
    int HiddenSize,
    int IntermediateSize,
    int Layers,
    int Heads,
    int KeyValueHeads,
    int HeadDim,
    int VocabSize,
    int MaxPositions,
    double RmsNormEps,
    double RopeTheta,
    Llama3RopeScaling? RopeScaling,
    bool TieWordEmbeddings,
    bool AttentionBias,
    bool OutputBias,
    bool MlpBias,
    string? Dtype,
    IReadOnlyList<int> EosTokenIds,
    int? BosTokenId)
{
    /// <summary>model_type → the architectures class names it may carry, and its family.</summary>
    private static readonly Dictionary<string, (HfFamily Family, string Architecture)> Supported = new()
    {
        ["qwen2"] = (HfFamily.Qwen2, "Qwen2ForCausalLM"),
        ["llama"] = (HfFamily.Llama, "LlamaForCausalLM"),
        ["mistral"] = (HfFamily.Llama, "MistralForCausalLM"),
        ["qwen3"] = (HfFamily.Qwen3, "Qwen3ForCausalLM"),
    };

    /// <summary>The supported model types and architectures, as an error lists them.</summary>
    public static string SupportedList => string.Join(", ", Supported.Select(s => $"{s.Key} ({s.Value.Architecture})"));

    /// <exception cref="InvalidDataException">A field is missing, of the wrong kind, out of range, or names an unsupported architecture; the message names the file and field.</exception>
    public static HfConfig Read(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: the top level is not a JSON object.");
        var fields = new Fields(path, root);
        var modelType = fields.String("model_type");
        if (!Supported.TryGetValue(modelType, out var supported))
            throw new InvalidDataException($"{path}: model_type '{modelType}' is not supported; supported: {SupportedList}.");
        var architectures = root.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
            : [supported.Architecture];
        if (!architectures.Contains(supported.Architecture))
            throw new InvalidDataException($"{path}: architectures [{string.Join(", ", architectures)}] has no causal LM this policy builds for model_type '{modelType}' (it builds {supported.Architecture}); supported: {SupportedList}.");
        if (fields.OptionalBool("use_sliding_window") == true)
            throw new InvalidDataException($"{path}: use_sliding_window is true; this policy attends to the whole context only.");
        var activation = fields.OptionalString("hidden_act") ?? "silu";
        if (activation != "silu") throw new InvalidDataException($"{path}: hidden_act '{activation}' is not supported; the MLP is SwiGLU (silu).");

        var hidden = fields.Positive("hidden_size");
        var heads = fields.Positive("num_attention_heads");
        var kvHeads = fields.OptionalPositive("num_key_value_heads") ?? heads;
        if (heads % kvHeads != 0) throw new InvalidDataException($"{path}: num_attention_heads ({heads}) is not a multiple of num_key_value_heads ({kvHeads}).");
        var headDim = fields.OptionalPositive("head_dim") ?? (hidden % heads == 0 ? hidden / heads
            : throw new InvalidDataException($"{path}: hidden_size ({hidden}) is not a multiple of num_attention_heads ({heads}) and head_dim is not given."));
        if (headDim % 2 != 0) throw new InvalidDataException($"{path}: head_dim ({headDim}) is odd; rotary embeddings rotate pairs.");
        var attentionBias = fields.OptionalBool("attention_bias") ?? false;
        var rope = root.TryGetProperty("rope_parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            ? new Fields(path, parameters, "rope_parameters.")
            : null;
        var theta = rope?.OptionalNumber("rope_theta") ?? fields.OptionalNumber("rope_theta") ?? 10000.0;
        var scaling = rope is not null ? Scaling(rope) : root.TryGetProperty("rope_scaling", out var s) && s.ValueKind == JsonValueKind.Object ? Scaling(new Fields(path, s, "rope_scaling.")) : null;

        return new HfConfig(
            supported.Family, modelType, supported.Architecture, hidden, fields.Positive("intermediate_size"), fields.Positive("num_hidden_layers"),
            heads, kvHeads, headDim, fields.Positive("vocab_size"), fields.OptionalPositive("max_position_embeddings") ?? 2048,
            fields.OptionalNumber("rms_norm_eps") ?? 1e-6, theta, scaling,
            fields.OptionalBool("tie_word_embeddings") ?? false,
            // Qwen2 always biases q, k and v, never o; attention_bias (Llama, Qwen3) biases all four.
            supported.Family == HfFamily.Qwen2 || attentionBias, supported.Family != HfFamily.Qwen2 && attentionBias,
            fields.OptionalBool("mlp_bias") ?? false,
            fields.OptionalString("dtype") ?? fields.OptionalString("torch_dtype"),
            fields.Ids("eos_token_id"), fields.Ids("bos_token_id") is [var bos, ..] ? bos : null);
    }

    private static Llama3RopeScaling? Scaling(Fields rope)
    {
        var type = rope.OptionalString("rope_type") ?? rope.OptionalString("type") ?? "default";
        return type switch
        {
            "default" => null,
            "llama3" => new Llama3RopeScaling(rope.Number("factor"), rope.Number("low_freq_factor"), rope.Number("high_freq_factor"), rope.Positive("original_max_position_embeddings")),
            _ => throw new InvalidDataException($"{rope.Path}: {rope.Prefix}rope_type '{type}' is not supported; supported: default, llama3."),
        };
    }

    /// <summary>Typed reads of one object's fields, each error naming the file and the field.</summary>
    private sealed class Fields(string path, JsonElement element, string prefix = "")
    {
        public string Path => path;

        public string Prefix => prefix;

        public string String(string name) => OptionalString(name) ?? throw Missing(name, "a string");

        public string? OptionalString(string name) => Get(name) is { } v
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Wrong(name, "a string", v)
            : null;

        public int Positive(string name) => OptionalPositive(name) ?? throw Missing(name, "a positive integer");

        public int? OptionalPositive(string name) => Get(name) is { } v
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n > 0 ? n : throw Wrong(name, "a positive integer", v)
            : null;

        public double Number(string name) => OptionalNumber(name) ?? throw Missing(name, "a number");

        public double? OptionalNumber(string name) => Get(name) is { } v
            ? v.ValueKind == JsonValueKind.Number && v.GetDouble() is var d && double.IsFinite(d) && d > 0 ? d : throw Wrong(name, "a positive number", v)
            : null;

        public bool? OptionalBool(string name) => Get(name) is { } v
            ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Wrong(name, "true or false", v)
            : null;

        /// <summary>A token id or a list of them (as <c>eos_token_id</c> may be); empty when absent.</summary>
        public int[] Ids(string name) => Get(name) switch
        {
            null => [],
            { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var id) && id >= 0 => [id],
            { ValueKind: JsonValueKind.Array } v when v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var i) && i >= 0)
                => [.. v.EnumerateArray().Select(x => x.GetInt32())],
            var v => throw Wrong(name, "a token id or a list of them", v.Value),
        };

        private JsonElement? Get(string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private InvalidDataException Missing(string name, string kind) => new($"{path}: {prefix}{name} is missing; it must be {kind}.");

        private InvalidDataException Wrong(string name, string kind, JsonElement value) => new($"{path}: {prefix}{name} is {value.GetRawText()}; it must be {kind}.");
    }
}
