using System.Text.Json;
using Harness.Runs;

namespace Harness.Imports;

/// <summary>Peeks at a file to tell its format by content.</summary>
internal static class JsonLines
{
    /// <summary>The lines of a file's first 64 KiB, so telling a format never reads a large or binary file whole.</summary>
    public static IEnumerable<string> Head(string file)
    {
        var buffer = new char[64 * 1024];
        int read;
        try
        {
            using var reader = new StreamReader(file);
            read = reader.ReadBlock(buffer, 0, buffer.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return new string(buffer, 0, read).Split('\n');
    }

    /// <summary>
    /// The first non-blank line as JSON; null when the file is not JSON Lines. The line is read whole (a dump's line
    /// can outgrow the head), up to 16 MiB, so a binary file is never read whole.
    /// </summary>
    public static JsonElement? First(string file)
    {
        try
        {
            foreach (var line in Utf8Lines.Read(file, 16 << 20))
            {
                if (line.Span.IndexOfAnyExcept(" \t\r\f\v"u8) < 0) continue;
                using var document = JsonDocument.Parse(TrainerJson.Standard(line));
                return document.RootElement.Clone();
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // Not JSON Lines: some other format.
        }
        return null;
    }

    /// <summary>Whether a JSON value is an object with a string property of each name.</summary>
    public static bool HasStrings(JsonElement? record, params string[] names) =>
        record is { ValueKind: JsonValueKind.Object } r && names.All(n => r.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String);
}
