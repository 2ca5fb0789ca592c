using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Serialization;

namespace Harness.Tasks;

/// <summary>
/// The rows of a task file as JSON objects, whatever the file is: JSON Lines (one object per line) or Parquet (nested
/// structs and lists as objects and arrays, read with Parquet.Net's untyped reader). Each row keeps its number, 1-based,
/// so an error names the line or row.
/// </summary>
public static class DatasetRows
{
    public static IEnumerable<(int Number, JsonObject Row)> Read(string file)
    {
        if (!File.Exists(file)) throw new HarnessException($"Task file '{file}' does not exist.");
        return IsParquet(file) ? Parquet(file) : JsonLines(file);
    }

    /// <summary>What a row is called in errors: a line of JSON Lines, a row of Parquet.</summary>
    public static string Unit(string file) => IsParquet(file) ? "row" : "line";

    private static bool IsParquet(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("PAR1"u8);
    }

    private static IEnumerable<(int, JsonObject)> JsonLines(string file)
    {
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException e)
            {
                throw new HarnessException($"Task file '{file}', line {number}: not JSON ({e.Message}).", e);
            }
            yield return (number, node as JsonObject ?? throw new HarnessException($"Task file '{file}', line {number}: not a JSON object."));
        }
    }

    private static IEnumerable<(int, JsonObject)> Parquet(string file)
    {
        DeserializationResult<Dictionary<string, object>> table;
        try
        {
            using var stream = File.OpenRead(file);
            table = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new HarnessException($"Task file '{file}': not a readable Parquet file ({e.Message}).", e);
        }
        var number = 0;
        foreach (var row in table.Data)
            yield return (++number, (JsonObject)ToNode(row)!);
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        IDictionary<string, object> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value)))),
        IDictionary dictionary => new JsonObject(dictionary.Keys.Cast<object>().Select(k => KeyValuePair.Create(Convert.ToString(k, CultureInfo.InvariantCulture)!, ToNode(dictionary[k])))),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(ToNode)]),
        DateTime time => JsonValue.Create(time.ToString("O", CultureInfo.InvariantCulture)),
        IConvertible number => Number(Convert.ToDouble(number, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

    private static JsonNode Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);
}
