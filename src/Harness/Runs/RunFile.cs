using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Harness.Runs;

/// <summary>Writes and reads the typed files of a run directory, all through <see cref="RunFilesJson"/>.</summary>
public static class RunFile
{
    /// <summary>A record as one line of a JSON Lines file (without the newline).</summary>
    public static string Line<T>(T record) => JsonSerializer.Serialize(record, Info<T>(RunFilesJson.Lines));

    /// <summary>The same line as UTF-8, for writers of many lines.</summary>
    public static byte[] Utf8Line<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, Info<T>(RunFilesJson.Lines));

    /// <summary>Writes a whole-file record, indented.</summary>
    public static void WriteIndented<T>(string path, T record) => File.WriteAllText(path, JsonSerializer.Serialize(record, Info<T>(RunFilesJson.Indented)));

    /// <summary>A whole-file record, indented, as text.</summary>
    public static string Indented<T>(T record) => JsonSerializer.Serialize(record, Info<T>(RunFilesJson.Indented));

    /// <summary>Reads a whole-file record.</summary>
    /// <param name="what">What the file should be, for the error, e.g. "run manifest".</param>
    /// <exception cref="HarnessException">The file is missing, not JSON, or not that record; the message names the file.</exception>
    public static T Read<T>(string path, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), Info<T>(RunFilesJson.Lines)) ?? throw new JsonException("it holds null");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new HarnessException($"'{path}' is not a readable {what}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The records of a JSON Lines file, streamed: blank lines skipped, a torn last line (a run killed mid-write)
    /// dropped, any other line that is not the record an error naming the file and the line. A missing file has none.
    /// </summary>
    public static IEnumerable<T> Records<T>(string path)
    {
        if (!File.Exists(path)) yield break;
        foreach (var (lineNumber, element) in JsonlLog.Records(path))
        {
            T record;
            try
            {
                record = element.Deserialize(Info<T>(RunFilesJson.Lines)) ?? throw new JsonException("the line is null");
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
            {
                throw new HarnessException($"{path}, line {lineNumber}: not a {typeof(T).Name} ({e.Message}).", e);
            }
            yield return record;
        }
    }

    private static JsonTypeInfo<T> Info<T>(RunFilesJson context) => (JsonTypeInfo<T>)context.GetTypeInfo(typeof(T))!;
}
