namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>
/// GPT-2's byte-level alphabet, which byte-level BPE vocabularies (Qwen, Llama-3) are written in: each of the 256
/// bytes stands for one printable character. Bytes that are printable Latin-1 stand for themselves; the others
/// (controls, space, soft hyphen…) take the characters from U+0100 on, in byte order.
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ToChar = Build();
    private static readonly Dictionary<char, byte> ToByte = ToChar.Select((c, b) => (c, (byte)b)).ToDictionary(p => p.c, p => p.Item2);

    private static char[] Build()
    {
        static bool Printable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++) map[b] = (char)(Printable(b) ? b : next++);
        return map;
    }

    /// <summary>The characters standing for the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Encode(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return string.Create(bytes.Length, bytes, (span, b) =>
        {
            for (var i = 0; i < b.Length; i++) span[i] = ToChar[b[i]];
        });
    }

    /// <summary>The character standing for a byte.</summary>
    public static char CharOf(byte value) => ToChar[value];

    /// <summary>The byte a character stands for; false for a character outside the alphabet.</summary>
    public static bool TryByte(char c, out byte value) => ToByte.TryGetValue(c, out value);
}
