using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>
/// An events.jsonl line, <c>step</c> and <c>kind</c> first and then the fields of its kind only: a fix has
/// <c>reason</c>, <c>learning_rate</c> and <c>beta</c>; a verdict has <c>verdict</c>, <c>since</c>, <c>previous</c> (null
/// for the first), <c>previous_held</c>, <c>explanation</c> and <c>values</c>; an interruption has <c>signal</c>,
/// <c>completed</c>, <c>abandoned</c> (null when none), <c>checkpoint</c> and <c>seconds</c>.
/// </summary>
public sealed class RunEventJsonConverter : JsonConverter<RunEvent>
{
    public override RunEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var e = document.RootElement;
        var kind = Text(e, "kind") ?? throw new JsonException("no 'kind'");
        return new RunEvent(e.TryGetProperty("step", out var step) && step.TryGetInt32(out var s) ? s : throw new JsonException("no integer 'step'"),
            kind, Text(e, "plugin") ?? "")
        {
            Reason = Text(e, "reason"),
            LearningRate = Number(e, "learning_rate"),
            Beta = Number(e, "beta"),
            NewVerdict = Text(e, "verdict"),
            Previous = Text(e, "previous"),
            Explanation = Text(e, "explanation"),
            Since = Integer(e, "since"),
            PreviousHeld = Integer(e, "previous_held"),
            Signal = Text(e, "signal"),
            Completed = Integer(e, "completed"),
            Abandoned = Integer(e, "abandoned"),
            Checkpoint = Text(e, "checkpoint"),
            Seconds = Number(e, "seconds"),
            Values = e.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object
                ? values.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble())
                : null,
        };
    }

    public override void Write(Utf8JsonWriter writer, RunEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("step", value.Step);
        writer.WriteString("kind", value.Kind);
        writer.WriteString("plugin", value.Plugin);
        if (value.Kind == RunEvent.Fix)
        {
            writer.WriteString("reason", value.Reason);
            writer.WriteNumber("learning_rate", value.LearningRate ?? double.NaN);
            writer.WriteNumber("beta", value.Beta ?? double.NaN);
        }
        else if (value.Kind == RunEvent.Interrupted)
        {
            writer.WriteString("signal", value.Signal);
            WriteInteger(writer, "completed", value.Completed);
            WriteInteger(writer, "abandoned", value.Abandoned);
            writer.WriteString("checkpoint", value.Checkpoint);
            writer.WriteNumber("seconds", value.Seconds ?? 0);
        }
        else
        {
            writer.WriteString("verdict", value.NewVerdict);
            WriteInteger(writer, "since", value.Since);
            writer.WriteString("previous", value.Previous);
            WriteInteger(writer, "previous_held", value.PreviousHeld);
            writer.WriteString("explanation", value.Explanation);
            writer.WritePropertyName("values");
            writer.WriteStartObject();
            foreach (var (name, number) in value.Values ?? new Dictionary<string, double>()) writer.WriteNumber(name, number);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteInteger(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number) writer.WriteNumber(name, number);
        else writer.WriteNull(name);
    }

    private static int? Integer(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
