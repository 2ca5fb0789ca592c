using System.Text.Json;

namespace Harness.Serving;

/// <summary>Reading a request's JSON at the edge: every field checked, every problem naming its field.</summary>
internal static class RequestJson
{
    public static JsonElement Object(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object ? body : throw new ServiceRequestException("(body)", $"is a JSON {Kind(body)}, not an object");

    public static JsonElement Array(JsonElement parent, string field, string path)
    {
        if (!parent.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) throw new ServiceRequestException(path, "is missing");
        return value.ValueKind == JsonValueKind.Array ? value : throw new ServiceRequestException(path, $"is a {Kind(value)}, not a list");
    }

    public static string String(JsonElement value, string path) => value.ValueKind == JsonValueKind.String
        ? value.GetString()!
        : throw new ServiceRequestException(path, value.ValueKind == JsonValueKind.Null ? "is null" : $"is a {Kind(value)}, not a string");

    public static string String(JsonElement parent, string field, string path) =>
        parent.TryGetProperty(field, out var value) ? String(value, path) : throw new ServiceRequestException(path, "is missing");

    /// <summary>A gold answer: a string, or a number as written (datasets store answers as either).</summary>
    public static string Gold(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => throw new ServiceRequestException(path, "is missing: the rewards need the gold answer"),
        _ => throw new ServiceRequestException(path, $"is a {Kind(value)}, not a string or a number"),
    };

    /// <summary>An optional step: a whole number of at least 0, from the body's field or else from a header.</summary>
    public static int? Step(JsonElement body, string? header)
    {
        if (body.TryGetProperty("step", out var value) && value.ValueKind != JsonValueKind.Null)
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var step) && step >= 0
                ? step : throw new ServiceRequestException("step", $"is {value.GetRawText()}, not a whole number of at least 0");
        if (header is null) return null;
        return int.TryParse(header, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fromHeader)
            ? fromHeader : throw new ServiceRequestException("X-Harness-Step", $"is '{header}', not a whole number of at least 0");
    }

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();
}
