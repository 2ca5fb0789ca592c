using System.Text.RegularExpressions;
using Harness.Tests.Golden.Fixtures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Harness.Tests.Golden;

/// <summary>
/// The folders of src/Harness depend one way: each uses only the floors below it, as docs/ARCHITECTURE.md lists
/// them. The host's source is compiled here with Roslyn, and every name in it is resolved to the folder that
/// declares it, so a qualified name, a using or an extension method all count.
/// </summary>
public partial class FloorTests
{
    private static readonly string Source = Path.Combine(RepoRoot.Path, "src", "Harness");

    [Fact]
    public void No_folder_of_the_host_uses_a_folder_on_a_higher_floor()
    {
        var floors = Floors();
        var upward = References()
            .Where(r => floors.IndexOf(r.To) > floors.IndexOf(r.From))
            .Select(r => $"{r.From} -> {r.To} ({r.Where}: {r.Name})")
            .Distinct()
            .ToArray();

        Assert.True(upward.Length == 0, "Upward references:\n" + string.Join('\n', upward));
    }

    [Fact]
    public void Every_folder_of_the_host_is_on_a_floor_and_the_check_sees_references_between_floors()
    {
        var floors = Floors();
        var folders = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Select(Folder).Where(f => f is not null).Distinct().Order().ToArray();

        Assert.Empty(folders.Except(floors));
        // Not vacuous: the engine's use of the GRPO math is seen.
        Assert.Contains(References(), r => r is { From: "Training", To: "Grpo" });
    }

    /// <summary>The floors, lowest first, from the numbered list under "## Floors" in docs/ARCHITECTURE.md.</summary>
    private static List<string> Floors()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "ARCHITECTURE.md"));
        var start = doc.IndexOf("\n## Floors", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/ARCHITECTURE.md has no '## Floors' section");
        var end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var floors = FloorLine().Matches(doc[start..(end < 0 ? doc.Length : end)]).Select(m => m.Groups[1].Value).ToList();
        Assert.True(floors.Count >= 5, "the '## Floors' section lists no floors as '1. `Folder`'");
        return floors;
    }

    private sealed record Reference(string From, string To, string Where, string Name);

    private static readonly Lazy<IReadOnlyList<Reference>> Cached = new(Collect);

    // A partial method without its generated body ([GeneratedRegex]); a JsonSerializerContext without its generated members.
    private static readonly HashSet<string> FromGenerators = ["CS8795", "CS0534", "CS0117", "CS7036", "CS1729"];

    private static IReadOnlyList<Reference> References() => Cached.Value;

    private static IReadOnlyList<Reference> Collect()
    {
        var trees = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f))
            .ToArray();
        // The SDK's implicit global usings, as the build that made this test's harness.dll wrote them.
        var globalUsings = Directory.EnumerateFiles(Path.Combine(Source, "obj"), "*.GlobalUsings.g.cs", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        // Everything the host compiles against is beside this test assembly, except the host itself, compiled here.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).Equals("harness.dll", StringComparison.OrdinalIgnoreCase))
            .GroupBy(Path.GetFileName).Select(g => g.First())
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("floors", [.. trees, CSharpSyntaxTree.ParseText(File.ReadAllText(globalUsings))], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        // Source generators do not run here, so only what they would have written may be missing.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !FromGenerators.Contains(d.Id)).Take(5).ToArray();
        Assert.True(errors.Length == 0, "the host's source does not compile here: " + string.Join('\n', errors.Select(e => e.ToString())));

        var found = new List<Reference>();
        foreach (var tree in trees)
        {
            if (Folder(tree.FilePath) is not { } from) continue;
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol;
                var declared = (symbol as INamespaceSymbol)?.ToDisplayString() ?? symbol?.ContainingNamespace?.ToDisplayString();
                if (declared is null || FloorOf(declared) is not { } to || to == from) continue;
                var line = name.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                found.Add(new Reference(from, to, $"{Path.GetRelativePath(Source, tree.FilePath)}:{line}", name.Identifier.Text));
            }
        }
        return found;
    }

    /// <summary>The folder of a file under src/Harness; null for the entry point and the root's files, which sit outside the floors.</summary>
    private static string? Folder(string file)
    {
        var relative = Path.GetRelativePath(Source, file).Split(Path.DirectorySeparatorChar);
        return relative.Length > 1 ? relative[0] : null;
    }

    /// <summary>The floor that declares a namespace: <c>Harness.X</c> and below it are floor X; the root namespace (HarnessException) is Core.</summary>
    private static string? FloorOf(string ns) =>
        ns == "Harness" ? "Core"
        : ns.StartsWith("Harness.", StringComparison.Ordinal) && !ns.StartsWith("Harness.Abstractions", StringComparison.Ordinal) ? ns.Split('.')[1]
        : null;

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [GeneratedRegex(@"^\d+\. `(\w+)`", RegexOptions.Multiline)]
    private static partial Regex FloorLine();
}
