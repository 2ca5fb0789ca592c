using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>One tensor's entry in a safetensors header: its stored type, shape and bytes within the file's data.</summary>
/// <param name="DType">The stored type as the header spells it (<c>F32</c>, <c>BF16</c>, <c>F16</c>, …).</param>
/// <param name="Begin">Offset of its first byte, counted from the end of the header.</param>
/// <param name="End">Offset one past its last byte.</param>
public sealed record StoredTensor(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>The stored types this reader takes, as the header spells them: their TorchSharp type and bytes per element.</summary>
    public static readonly IReadOnlyDictionary<string, (ScalarType Type, int Size)> Types = new Dictionary<string, (ScalarType, int)>
    {
        ["F32"] = (ScalarType.Float32, 4),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["F16"] = (ScalarType.Float16, 2),
    };

    /// <summary>The types of <see cref="Types"/> as a sentence names them.</summary>
    public static string TypeList => string.Join(", ", Types.Keys.SkipLast(1)) + " and " + Types.Keys.Last();

    /// <summary>Bytes per element of a stored type; 0 for one this reader does not take.</summary>
    public static int ElementSize(string dtype) => Types.TryGetValue(dtype, out var type) ? type.Size : 0;

    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// A safetensors file (the format of huggingface/safetensors, as its README specifies it): 8 bytes, the header's
/// length as a little-endian u64; the header, a JSON object naming each tensor's <c>dtype</c>, <c>shape</c> and
/// <c>data_offsets</c> [begin, end) within the data that follows, with optional <c>__metadata__</c> (strings);
/// then the data. The header is read and checked whole when the file opens; each tensor's bytes are read on demand.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    private const string MetadataKey = "__metadata__";
    private readonly FileStream _stream;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, FileStream stream, long dataStart, Dictionary<string, StoredTensor> tensors, Dictionary<string, string> metadata)
        => (Path, _stream, _dataStart, Tensors, Metadata) = (path, stream, dataStart, tensors, metadata);

    public string Path { get; }

    /// <summary>The tensors by name, in the header's order.</summary>
    public IReadOnlyDictionary<string, StoredTensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <exception cref="InvalidDataException">The file is truncated, its header is not valid, or a tensor's bytes do not fit its type and shape; the message names the file and the tensor.</exception>
    public static SafeTensorsFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var (tensors, metadata, dataStart) = ReadHeader(path, stream);
            return new SafeTensorsFile(path, stream, dataStart, tensors, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The stored bytes of one tensor, as they are in the file (little-endian).</summary>
    public byte[] Read(StoredTensor tensor)
    {
        var bytes = new byte[tensor.End - tensor.Begin];
        _stream.Position = _dataStart + tensor.Begin;
        _stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Writes tensors in the given order, contiguous, with the header padded with spaces to a multiple of 8 bytes as
    /// the reference writer does; to a temporary file first, then moved into place, so a reader never sees half a file.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Name, string DType, long[] Shape, byte[] Data)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 }) header[MetadataKey] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value)));
        var offset = 0L;
        foreach (var (name, dtype, shape, data) in list)
        {
            var expected = shape.Aggregate(1L, (a, b) => a * b) * StoredTensor.ElementSize(dtype);
            if (StoredTensor.ElementSize(dtype) == 0 || data.LongLength != expected)
                throw new ArgumentException($"{path}: tensor '{name}' has {data.LongLength} bytes for {dtype} of shape [{string.Join(", ", shape)}].");
            header[name] = new JsonObject
            {
                ["dtype"] = dtype,
                ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode?)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + data.LongLength),
            };
            offset += data.LongLength;
        }
        var text = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (text.Length + 7) / 8 * 8;
        AtomicFile.Write(path, temporary =>
        {
            using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            file.Write(length);
            file.Write(text);
            for (var i = text.Length; i < padded; i++) file.WriteByte((byte)' ');
            foreach (var tensor in list) file.Write(tensor.Data);
            file.Flush(flushToDisk: true);
        });
    }

    private static (Dictionary<string, StoredTensor>, Dictionary<string, string>, long) ReadHeader(string path, FileStream stream)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (stream.Length < 8) throw Bad(path, $"has {stream.Length} bytes, fewer than the 8 of a safetensors header length: it is truncated or not a safetensors file");
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(stream.Length - 8) || headerLength > 100_000_000)
            throw Bad(path, $"declares a header of {headerLength} bytes but has {stream.Length - 8} after the length: it is truncated or not a safetensors file");
        var text = new byte[headerLength];
        stream.ReadExactly(text);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(text) as JsonObject ?? throw Bad(path, "has a header that is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Bad(path, $"has a header that is not valid JSON ({e.Message})");
        }
        var dataStart = 8 + (long)headerLength;
        var dataLength = stream.Length - dataStart;
        var tensors = new Dictionary<string, StoredTensor>();
        var metadata = new Dictionary<string, string>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey)
            {
                foreach (var (key, value) in node as JsonObject ?? throw Bad(path, $"has a {MetadataKey} that is not an object"))
                    metadata[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(path, $"has {MetadataKey}.{key} that is not a string");
                continue;
            }
            tensors[name] = Entry(path, name, node, dataLength);
        }
        return (tensors, metadata, dataStart);
    }

    private static StoredTensor Entry(string path, string name, JsonNode? node, long dataLength)
    {
        try
        {
            var entry = (JsonObject)node!;
            var dtype = entry["dtype"]!.GetValue<string>();
            var shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = entry["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) throw Bad(path, $"tensor '{name}': data_offsets [{string.Join(", ", offsets)}] is not a range");
            var tensor = new StoredTensor(name, dtype, shape, offsets[0], offsets[1]);
            if (StoredTensor.ElementSize(dtype) == 0)
                throw Bad(path, $"tensor '{name}' is stored as {dtype}; this reader takes {StoredTensor.TypeList}");
            if (shape.Any(d => d < 0) || tensor.Elements * StoredTensor.ElementSize(dtype) != tensor.End - tensor.Begin)
                throw Bad(path, $"tensor '{name}' has {tensor.End - tensor.Begin} bytes for {dtype} of shape [{string.Join(", ", shape)}]");
            if (tensor.End > dataLength)
                throw Bad(path, $"tensor '{name}' ends at byte {tensor.End} of the data, but the file holds {dataLength}: it is truncated");
            return tensor;
        }
        catch (Exception e) when (e is InvalidCastException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw Bad(path, $"tensor '{name}' is not an entry of dtype, shape and data_offsets ({node?.ToJsonString()})");
        }
    }

    private static InvalidDataException Bad(string path, string problem) => new($"{path} {problem}.");

    public void Dispose() => _stream.Dispose();
}
