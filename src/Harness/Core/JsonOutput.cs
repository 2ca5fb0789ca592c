using System.Text.Encodings.Web;
using System.Text.Json;

namespace Harness.Core;

/// <summary>How every <c>--json</c> output is written.</summary>
public static class JsonOutput
{
    /// <summary>Indented, keys in snake_case (as TRL and verl spell their fields), plain characters kept.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Plain characters ("·", "+") stay readable instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One JSON object per line, for JSON Lines files.</summary>
    public static JsonSerializerOptions Line { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
