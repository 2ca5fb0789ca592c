namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>Writes a file through <c>&lt;path&gt;.partial</c>, then moves it into place, so a reader never sees half a file.</summary>
public static class AtomicFile
{
    public const string Suffix = ".partial";

    /// <param name="write">Writes the whole file at the temporary path it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        var temporary = path + Suffix;
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
