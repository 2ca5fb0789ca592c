namespace Harness.Runs;

/// <summary>The files of one run directory.</summary>
public sealed record RunDirectory(string Root)
{
    public string Config => Path.Combine(Root, "config.json");
    public string Manifest => Path.Combine(Root, "manifest.json");
    public string Metrics => Path.Combine(Root, "metrics.jsonl");
    public string Completions => Path.Combine(Root, "completions.jsonl");
    public string Events => Path.Combine(Root, "events.jsonl");
    public string Probes => Path.Combine(Root, "probes.jsonl");
    public string Errors => Path.Combine(Root, "errors.jsonl");
    public string Report => Path.Combine(Root, "report.html");
    public string Checkpoints => Path.Combine(Root, "checkpoints");
    public string WriterLock => Path.Combine(Root, "writer.lock");
    public string Writer => Path.Combine(Root, "writer.json");

    /// <summary>
    /// Creates a new, empty run directory; an existing non-empty one is refused, never overwritten. The caller takes
    /// its <see cref="RunLock"/> before writing anything into it.
    /// </summary>
    public static RunDirectory CreateNew(string root)
    {
        if (File.Exists(root))
            throw new HarnessException($"Run directory '{root}' is an existing file, not a directory: choose another --out.");
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new HarnessException($"Run directory '{root}' already exists and is not empty. Continue it with `harness resume {root}` or choose another --out.");
        try
        {
            Directory.CreateDirectory(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HarnessException($"Run directory '{root}' cannot be created: {e.Message}", e);
        }
        return new RunDirectory(Path.GetFullPath(root));
    }

    public static RunDirectory OpenExisting(string root)
    {
        var run = new RunDirectory(Path.GetFullPath(root));
        foreach (var required in new[] { run.Config, run.Manifest })
            if (!File.Exists(required)) throw new HarnessException($"'{root}' is not a run directory: {Path.GetFileName(required)} is missing.");
        return run;
    }
}
