namespace Harness.Tests.Golden.Fixtures;

/// <summary>The repository's root (the folder holding Harness.sln), for tests that read shipped files.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Harness.sln above {AppContext.BaseDirectory}.");
    }
}
