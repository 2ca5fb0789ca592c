using System.Buffers.Binary;
using System.Text;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// Reads TensorBoard event files independently of the writer: TFRecord framing (length, masked CRC-32C of the
/// length, data, masked CRC-32C of the data, every CRC checked) and the Event protobuf's wall time, step, file
/// version and scalar summaries (tag, simple_value).
/// </summary>
public static class TfEvents
{
    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

    public static IEnumerable<Event> Read(string file)
    {
        var bytes = File.ReadAllBytes(file);
        for (var at = 0; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at, 8));
            Check(bytes.AsSpan(at, 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)), file, "length");
            var data = bytes.AsSpan(at + 12, (int)length);
            Check(data, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)), file, "data");
            yield return ParseEvent(data.ToArray());
            at += 16 + (int)length;
        }
    }

    private static void Check(ReadOnlySpan<byte> data, uint masked, string file, string what)
    {
        var crc = Crc32C(data);
        var expected = unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);
        if (expected != masked) throw new InvalidDataException($"{file}: the {what} CRC does not match");
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    private static Event ParseEvent(byte[] data)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var scalars = new List<(string, float)>();
        foreach (var (field, wire, value, bytes) in Fields(data))
        {
            if (field == 1 && wire == 1) wall = BitConverter.Int64BitsToDouble((long)value);
            else if (field == 2 && wire == 0) step = (long)value;
            else if (field == 3 && wire == 2) version = Encoding.UTF8.GetString(bytes!);
            else if (field == 5 && wire == 2)
                foreach (var (f, w, _, summaryValue) in Fields(bytes!))
                    if (f == 1 && w == 2) scalars.Add(ParseValue(summaryValue!));
        }
        return new Event(wall, step, version, scalars);
    }

    private static (string, float) ParseValue(byte[] data)
    {
        string tag = "";
        float? value = null;
        foreach (var (field, wire, raw, bytes) in Fields(data))
        {
            if (field == 1 && wire == 2) tag = Encoding.UTF8.GetString(bytes!);
            else if (field == 2 && wire == 5) value = BitConverter.Int32BitsToSingle((int)raw);
        }
        return (tag, value ?? throw new InvalidDataException($"summary value '{tag}' has no simple_value"));
    }

    /// <summary>Protobuf fields: number, wire type, the number (varint, fixed64, fixed32) or the bytes (length-delimited).</summary>
    private static IEnumerable<(int Field, int Wire, ulong Value, byte[]? Bytes)> Fields(byte[] data)
    {
        for (var at = 0; at < data.Length;)
        {
            var key = Varint(data, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: yield return (field, wire, Varint(data, ref at), null); break;
                case 1: yield return (field, wire, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at, 8)), null); at += 8; break;
                case 5: yield return (field, wire, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at, 4)), null); at += 4; break;
                case 2:
                    var length = (int)Varint(data, ref at);
                    yield return (field, wire, 0, data[at..(at + length)]);
                    at += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
