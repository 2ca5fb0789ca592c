using System.Text.Json;

namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>One JSON value of a tokenizer file and where it sits (<c>pre_tokenizer.pretokenizers[0].pattern</c>), so every error names the file and the field.</summary>
public sealed record JsonField(string File, string Name, JsonElement Value)
{
    public bool IsNull => Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public JsonField this[string key] => new(File, Name.Length == 0 ? key : $"{Name}.{key}",
        Value.ValueKind == JsonValueKind.Object && Value.TryGetProperty(key, out var v) ? v : default);

    public bool Has(string key) => !this[key].IsNull;

    public IEnumerable<JsonField> Items => Value.ValueKind == JsonValueKind.Array
        ? Value.EnumerateArray().Select((v, i) => new JsonField(File, $"{Name}[{i}]", v))
        : throw Error("must be a list");

    public IEnumerable<(string Key, JsonField Field)> Properties => Value.ValueKind == JsonValueKind.Object
        ? Value.EnumerateObject().Select(p => (p.Name, new JsonField(File, $"{Name}.{p.Name}", p.Value)))
        : throw Error("must be an object");

    public string String() => Value.ValueKind == JsonValueKind.String ? Value.GetString()! : throw Error("must be a string");

    public string String(string fallback) => IsNull ? fallback : String();

    public bool Bool(bool fallback) => Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => fallback,
        _ => throw Error("must be true or false"),
    };

    public int Int() => Value.ValueKind == JsonValueKind.Number && Value.TryGetInt32(out var n) ? n : throw Error("must be an integer");

    /// <summary>The object's <c>type</c>, for the parts of a tokenizer that come in kinds.</summary>
    public string Type => this["type"].String();

    public InvalidDataException Error(string problem)
    {
        var shown = IsNull ? "missing" : Value.GetRawText() is var raw && raw.Length > 80 ? raw[..77] + "..." : Value.GetRawText();
        return new InvalidDataException($"{File}: {Name} {problem} (it is {shown}).");
    }

    public InvalidDataException Unsupported(string kind, string supported) =>
        new($"{File}: {Name}.type '{Type}' is not a {kind} this tokenizer implements; supported: {supported}.");
}
