using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>A metrics.jsonl line: <c>step</c>, then every metric by name, a number or null, in the order logged.</summary>
public sealed class StepMetricsJsonConverter : JsonConverter<StepMetrics>
{
    public override StepMetrics Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("step", out var step) || !step.TryGetInt32(out var number))
            throw new JsonException("not an object with an integer 'step'");
        var metrics = new StepMetrics(number);
        foreach (var property in root.EnumerateObject().Where(p => p.Name != "step"))
            if (property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null)
                metrics.Set(property.Name, property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetDouble() : null);
        return metrics;
    }

    public override void Write(Utf8JsonWriter writer, StepMetrics value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("step", value.Step);
        foreach (var (name, number) in value.Values)
        {
            if (number is { } v) writer.WriteNumber(name, v);
            else writer.WriteNull(name);
        }
        writer.WriteEndObject();
    }
}
