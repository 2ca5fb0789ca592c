using System.Buffers;

namespace Harness.Imports;

/// <summary>
/// JSON as Python trainers write it. <c>json.dumps</c> writes NaN, Infinity and -Infinity as bare tokens, which JSON
/// does not have (TRL's trainer_state.json, verl's rollout dumps and its file logger before it moved to orjson). Such
/// a token is read as null (a number with no finite value) only where a value may stand: outside every string, after
/// <c>:</c>, <c>[</c>, <c>,</c> or at the start. Text inside strings, escaped or not, is never touched.
/// </summary>
internal static class TrainerJson
{
    /// <summary>The UTF-8 JSON with its bare non-finite numbers as null; the input itself when it has none.</summary>
    public static ReadOnlyMemory<byte> Standard(ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        if (span.IndexOf("NaN"u8) < 0 && span.IndexOf("Infinity"u8) < 0) return utf8;
        ArrayBufferWriter<byte>? output = null;
        var copied = 0;
        // The last byte outside strings that was not whitespace; 0 at the start, where a value may stand too.
        byte previous = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var b = span[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            if (b == '"')
            {
                i = StringEnd(span, i + 1);
                previous = b;
                continue;
            }
            var length = previous is 0 or (byte)':' or (byte)'[' or (byte)',' ? BareNonFinite(span[i..]) : 0;
            if (length > 0)
            {
                output ??= new ArrayBufferWriter<byte>(span.Length + 16);
                output.Write(span[copied..i]);
                output.Write("null"u8);
                copied = i + length;
                i += length - 1;
            }
            previous = span[i];
        }
        if (output is null) return utf8;
        output.Write(span[copied..]);
        return output.WrittenMemory;
    }

    /// <summary>The index of the quote that closes a string whose text starts at <paramref name="start"/> (the end when unclosed).</summary>
    private static int StringEnd(ReadOnlySpan<byte> span, int start)
    {
        for (var i = start; i < span.Length; i++)
        {
            if (span[i] == '\\') i++;
            else if (span[i] == '"') return i;
        }
        return span.Length;
    }

    /// <summary>The length of a bare NaN, Infinity or -Infinity token at the start; 0 when there is none.</summary>
    private static int BareNonFinite(ReadOnlySpan<byte> span)
    {
        var length = span.StartsWith("NaN"u8) ? 3 : span.StartsWith("Infinity"u8) ? 8 : span.StartsWith("-Infinity"u8) ? 9 : 0;
        // A token that runs on (NaNa) is no literal: the parser names it as the error it is.
        return length > 0 && length < span.Length && char.IsAsciiLetterOrDigit((char)span[length]) ? 0 : length;
    }
}
