using Harness.Abstractions;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// The plugin SDK as a third party gets it, made once per test class: the contract and template packages packed
/// into a folder feed, the template installed (in a private template hive), and a way to make and build plugins
/// outside this solution.
/// </summary>
public sealed class PluginSdk : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string[] _hive;

    public PluginSdk()
    {
        Feed = Path.Combine(Root, "feed");
        DotnetCli.Run(RepoRoot.Path, ["pack", "src/Harness.Abstractions", "-o", Feed]);
        DotnetCli.Run(RepoRoot.Path, ["pack", "templates", "-o", Feed]);
        _hive = ["--debug:custom-hive", Path.Combine(Root, "hive")];
        DotnetCli.Run(Root, ["new", "install", Path.Combine(Feed, $"Harness.Templates.{ContractVersion.Current}.0.nupkg"), .. _hive]);
    }

    /// <summary>A scratch folder outside the repository, deleted with the fixture.</summary>
    public string Root => _dir.Path;

    public string Feed { get; }

    /// <summary>The harness as the solution built it: the tests run it as a separate process and never rebuild it.</summary>
    public static string Harness { get; } = Path.Combine(AppContext.BaseDirectory, "harness.dll");

    /// <summary><c>dotnet new harness-plugin -n name --kind kind</c> into a new folder; returns the project folder.</summary>
    public string New(string name, string kind)
    {
        var project = Path.Combine(Root, name);
        DotnetCli.Run(Root, ["new", "harness-plugin", "-n", name, "--kind", kind, "--feed", Feed, "-o", project, .. _hive]);
        return project;
    }

    /// <summary>
    /// Builds a plugin project into <paramref name="plugins"/>/&lt;name&gt;/, with its own package folder so the
    /// freshly packed contract is the one restored.
    /// </summary>
    public void Build(string project, string plugins) =>
        DotnetCli.Run(project, ["build", $"-p:HarnessPluginsDir={plugins}/"], new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "packages") });

    /// <summary>Runs the harness in its own process; fails the test unless it exits 0.</summary>
    public string RunHarness(params string[] args) => DotnetCli.Run(Root, ["exec", Harness, .. args]);

    public DotnetCli.Result TryHarness(params string[] args) => DotnetCli.Try(Root, ["exec", Harness, .. args]);

    public void Dispose() => _dir.Dispose();
}
