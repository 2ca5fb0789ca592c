using System.Text.Encodings.Web;
using System.Text.Json;

namespace Harness.Core;

/// <summary>How every <c>--json</c> output is written.</summary>
public static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        // Plain characters ("·", "+") stay readable instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For lines written field by field with a <see cref="Utf8JsonWriter"/>.</summary>
    public static JsonWriterOptions Writer { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON object per line, for JSON Lines files.</summary>
    public static JsonSerializerOptions Line { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
