using System.Buffers.Binary;
using System.Text;

namespace Harness.Imports;

/// <summary>
/// TensorBoard event files (<c>events.out.tfevents.*</c>), streamed: TFRecord framing (a little-endian length, the
/// masked CRC-32C of the length, the data, the masked CRC-32C of the data; every CRC checked) around Event protobufs
/// (tensorflow/core/util/event.proto: wall_time 1, step 2, file_version 3, summary 5; summary.proto: Value with tag 1,
/// simple_value 2, tensor 8 whose float_val 5, double_val 6 or string_val 8 holds a new-style scalar or a text). A record cut
/// short at the end of a file (a writer still running, or killed) is dropped; a CRC that does not match is an error
/// naming the file and the offset.
/// </summary>
public static class TensorBoardEvents
{
    /// <summary>One value of an event: a scalar (<see cref="Number"/>) or a text (<see cref="Text"/>).</summary>
    public sealed record Value(long Step, double WallTime, string Tag, double? Number, string? Text);

    /// <summary>The event files of a folder (or the file itself), oldest first (their names carry the time they were opened).</summary>
    public static IReadOnlyList<string> Files(string path) =>
        File.Exists(path) ? [path]
        : Directory.Exists(path) ? [.. Directory.EnumerateFiles(path, "events.out.tfevents.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]
        : [];

    /// <summary>Whether a file starts with a whole TFRecord whose CRCs match.</summary>
    public static bool Looks(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            Span<byte> head = stackalloc byte[12];
            return stream.ReadAtLeast(head, 12, throwOnEndOfStream: false) == 12
                && Masked(Crc32C(head[..8])) == BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Every scalar and text of the files, in file order.</summary>
    public static IEnumerable<Value> Read(IEnumerable<string> files)
    {
        foreach (var file in files)
            foreach (var (offset, record) in Records(file))
                foreach (var value in Event(record, file, offset))
                    yield return value;
    }

    private static IEnumerable<(long Offset, byte[] Data)> Records(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        var head = new byte[12];
        var tail = new byte[4];
        while (true)
        {
            var offset = stream.Position;
            if (stream.ReadAtLeast(head, 12, throwOnEndOfStream: false) < 12) yield break;
            if (Masked(Crc32C(head.AsSpan(0, 8))) != BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8)))
                throw new HarnessException($"{file}, offset {offset}: not a TensorBoard event record (its length's CRC does not match).");
            var length = BinaryPrimitives.ReadUInt64LittleEndian(head);
            if (length > int.MaxValue) throw new HarnessException($"{file}, offset {offset}: an event record of {length} bytes.");
            var data = new byte[length];
            if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length || stream.ReadAtLeast(tail, 4, throwOnEndOfStream: false) < 4) yield break;
            if (Masked(Crc32C(data)) != BinaryPrimitives.ReadUInt32LittleEndian(tail))
                throw new HarnessException($"{file}, offset {offset}: the event record's data does not match its CRC (the file is damaged).");
            yield return (offset, data);
        }
    }

    private static IEnumerable<Value> Event(byte[] data, string file, long offset)
    {
        var (wall, step) = (0.0, 0L);
        var summaries = new List<byte[]>();
        foreach (var field in Protobuf.Fields(data, file, offset))
        {
            if (field is { Number: 1, Wire: 1 }) wall = BitConverter.Int64BitsToDouble((long)field.Scalar);
            else if (field is { Number: 2, Wire: 0 }) step = (long)field.Scalar;
            else if (field is { Number: 5, Wire: 2 }) summaries.Add(field.Bytes!);
        }
        foreach (var summary in summaries)
            foreach (var value in Protobuf.Fields(summary, file, offset))
                if (value is { Number: 1, Wire: 2 } && SummaryValue(value.Bytes!, step, wall, file, offset) is { } parsed)
                    yield return parsed;
    }

    private static Value? SummaryValue(byte[] data, long step, double wall, string file, long offset)
    {
        string tag = "";
        double? number = null;
        string? text = null;
        foreach (var field in Protobuf.Fields(data, file, offset))
        {
            if (field is { Number: 1, Wire: 2 }) tag = Encoding.UTF8.GetString(field.Bytes!);
            else if (field is { Number: 2, Wire: 5 }) number = BitConverter.Int32BitsToSingle((int)field.Scalar);
            else if (field is { Number: 8, Wire: 2 }) (number, text) = Tensor(field.Bytes!, file, offset);
        }
        return number is null && text is null ? null : new Value(step, wall, tag, number, text);
    }

    /// <summary>A tensor's one number (float_val 5 or double_val 6, packed or not) or its first string (string_val 8).</summary>
    private static (double?, string?) Tensor(byte[] data, string file, long offset)
    {
        foreach (var field in Protobuf.Fields(data, file, offset))
            switch (field)
            {
                case { Number: 5, Wire: 5 }: return (BitConverter.Int32BitsToSingle((int)field.Scalar), null);
                case { Number: 5, Wire: 2 } when field.Bytes!.Length >= 4: return (BinaryPrimitives.ReadSingleLittleEndian(field.Bytes), null);
                case { Number: 6, Wire: 1 }: return (BitConverter.Int64BitsToDouble((long)field.Scalar), null);
                case { Number: 6, Wire: 2 } when field.Bytes!.Length >= 8: return (BinaryPrimitives.ReadDoubleLittleEndian(field.Bytes), null);
                case { Number: 8, Wire: 2 }: return (null, Encoding.UTF8.GetString(field.Bytes!));
            }
        return (null, null);
    }

    private static uint Masked(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(i =>
    {
        var c = (uint)i;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        return c;
    })];

    /// <summary>The fields of a protobuf message: number, wire type, and the number (varint, fixed64, fixed32) or the bytes (length-delimited).</summary>
    private static class Protobuf
    {
        public readonly record struct Field(int Number, int Wire, ulong Scalar, byte[]? Bytes);

        public static List<Field> Fields(byte[] data, string file, long offset)
        {
            var fields = new List<Field>();
            for (var at = 0; at < data.Length;)
            {
                var key = Varint(data, ref at, file, offset);
                var (number, wire) = ((int)(key >> 3), (int)(key & 7));
                switch (wire)
                {
                    case 0: fields.Add(new(number, wire, Varint(data, ref at, file, offset), null)); break;
                    case 1: fields.Add(new(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(Take(data, ref at, 8, file, offset)), null)); break;
                    case 5: fields.Add(new(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref at, 4, file, offset)), null)); break;
                    case 2: fields.Add(new(number, wire, 0, Take(data, ref at, (int)Varint(data, ref at, file, offset), file, offset).ToArray())); break;
                    default: throw Broken(file, offset, $"protobuf wire type {wire}");
                }
            }
            return fields;
        }

        private static ReadOnlySpan<byte> Take(byte[] data, ref int at, int length, string file, long offset)
        {
            if (length < 0 || at + length > data.Length) throw Broken(file, offset, "a field past the record's end");
            var span = data.AsSpan(at, length);
            at += length;
            return span;
        }

        private static ulong Varint(byte[] data, ref int at, string file, long offset)
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (at >= data.Length) throw Broken(file, offset, "a number past the record's end");
                var b = data[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw Broken(file, offset, "a number longer than 10 bytes");
        }

        private static HarnessException Broken(string file, long offset, string what) =>
            new($"{file}, offset {offset}: not a TensorBoard event ({what}).");
    }
}
