using Harness.Abstractions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>Compiles C# source into a plugin folder (<c>dir/Name/Name.dll</c>), as a third party would ship it.</summary>
public static class TestPluginCompiler
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Append(typeof(IReward).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>Compiles into <c>pluginsDir/assemblyName/assemblyName.dll</c>, or into <paramref name="folder"/> (e.g. a library beside its plugin).</summary>
    public static string Compile(string pluginsDir, string assemblyName, string source, IEnumerable<string>? references = null, string? folder = null)
    {
        var compilation = CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText(source)],
            [.. References.Value, .. (references ?? []).Select(r => MetadataReference.CreateFromFile(r))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        folder ??= Path.Combine(pluginsDir, assemblyName);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, assemblyName + ".dll");
        var result = compilation.Emit(path);
        if (!result.Success)
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return path;
    }

    /// <summary>Source of a reward plugin that gives every completion <paramref name="value"/>.</summary>
    public static string ConstantReward(string name, double value, string contract = ContractVersion.Current) =>
        Reward(name, $"(double){value.ToString(System.Globalization.CultureInfo.InvariantCulture)}", contract);

    /// <summary>Source of a reward plugin that gives every completion the value of a C# expression.</summary>
    public static string Reward(string name, string valueExpression, string contract = ContractVersion.Current) => $$"""
        using System.Collections.Generic;
        using System.Linq;
        using Harness.Abstractions;
        [assembly: HarnessContract("{{contract}}")]
        [Plugin("{{name}}")]
        public sealed class ConstantReward : IReward
        {
            public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
                new[] { new RewardTerm("{{name}}", group.Completions.Select(_ => {{valueExpression}}).ToArray()) };
        }
        """;
}
