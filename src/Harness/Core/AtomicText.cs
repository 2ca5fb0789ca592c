namespace Harness.Core;

/// <summary>A text file written whole, then renamed into place: a reader never sees half of it.</summary>
public static class AtomicText
{
    public static void Write(string path, string text)
    {
        var partial = path + ".partial";
        File.WriteAllText(partial, text);
        File.Move(partial, path, overwrite: true);
    }
}
