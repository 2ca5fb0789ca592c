namespace Harness.Plugins.Policies.TinyGpt;

/// <summary>
/// Character-level tokenizer: id 0 ends a text (and, in front of every prompt, starts one, so even an empty
/// prompt gives the model a first position), id 1 is a newline, ids 2… are printable ASCII in order.
/// Fixed, so weights saved by one run load in any other.
/// </summary>
public static class CharTokenizer
{
    public const int EndOfText = 0;
    private const int Newline = 1;
    private const char FirstPrintable = ' ';
    private const char LastPrintable = '~';

    public static int VocabularySize => 2 + (LastPrintable - FirstPrintable + 1);

    /// <summary>A prompt as the model reads it: the start token, then the text.</summary>
    public static int[] EncodePrompt(string text) => [EndOfText, .. Encode(text)];

    public static int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            ids[i] = c switch
            {
                '\n' => Newline,
                >= FirstPrintable and <= LastPrintable => 2 + (c - FirstPrintable),
                _ => throw new ArgumentException(
                    $"Policy 'tiny-gpt': character U+{(int)c:X4} at offset {i} of \"{text}\" is outside its vocabulary (printable ASCII and newline)."),
            };
        }
        return ids;
    }

    /// <summary>The text of ids, stopping before an end-of-text id.</summary>
    public static string Decode(IEnumerable<int> ids)
    {
        var chars = new List<char>();
        foreach (var id in ids)
        {
            if (id == EndOfText) break;
            chars.Add(id == Newline ? '\n' : (char)(FirstPrintable + id - 2));
        }
        return new string([.. chars]);
    }
}
