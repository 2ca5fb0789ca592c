namespace Harness.Runs;

/// <summary>
/// The lines of a file as UTF-8 bytes, streamed without decoding them to text (JSON parses UTF-8 directly): each
/// line without its <c>\n</c> or <c>\r\n</c>, a byte-order mark at the start dropped. A line is valid only until the
/// next is read.
/// </summary>
public static class Utf8Lines
{
    /// <param name="path">The file.</param>
    /// <param name="limit">How many bytes to read at most (a peek at a file that may be binary); a line the limit cuts comes last, cut.</param>
    public static IEnumerable<ReadOnlyMemory<byte>> Read(string path, long limit = long.MaxValue)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var (start, end) = (0, 0);
        var atStart = true;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                yield return Line(buffer, start, start + newline);
                start += newline + 1;
                continue;
            }
            // No whole line left: keep the part read, making room (or a larger buffer for a longer line), and read on.
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                (end, start) = (end - start, 0);
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = stream.Read(buffer, end, (int)Math.Min(buffer.Length - end, limit - stream.Position));
            if (read == 0) break;
            end += read;
            if (atStart && end >= 3)
            {
                if (buffer.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) start = 3;
                atStart = false;
            }
        }
        if (end > start) yield return Line(buffer, start, end);
    }

    private static ReadOnlyMemory<byte> Line(byte[] buffer, int start, int end) =>
        buffer.AsMemory(start, (end > start && buffer[end - 1] == '\r' ? end - 1 : end) - start);
}
