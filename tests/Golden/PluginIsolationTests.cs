using Harness.Abstractions;
using Harness.Catalog;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>Each plugin loads in its own context: two plugins that ship different versions of one library both work.</summary>
public class PluginIsolationTests
{
    private static string Library(string version, double value) => $$"""
        [assembly: System.Reflection.AssemblyVersion("{{version}}")]
        namespace Shared.Scale { public static class Factor { public static double Value => {{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}; } }
        """;

    [Fact]
    public void Two_plugins_with_different_versions_of_one_library_both_load_and_use_their_own()
    {
        using var dir = new TempDirectory();
        foreach (var (plugin, version, value) in new[] { ("Plugin.One", "1.0.0.0", 1.0), ("Plugin.Two", "2.0.0.0", 2.0) })
        {
            var folder = Path.Combine(dir.Path, plugin);
            var library = TestPluginCompiler.Compile(dir.Path, "Shared.Scale", Library(version, value), folder: folder);
            TestPluginCompiler.Compile(dir.Path, plugin, TestPluginCompiler.Reward(plugin.ToLowerInvariant().Replace('.', '-'), "Shared.Scale.Factor.Value"), [library]);
        }

        var catalog = PluginCatalog.Scan([dir.Path]);
        var group = new PromptGroup("p", new Dictionary<string, string>(), ["a", "b"]);

        Assert.Equal([1.0, 1.0], catalog.Create<IReward>(PluginKind.Reward, "plugin-one").Score(group).Single().Values);
        Assert.Equal([2.0, 2.0], catalog.Create<IReward>(PluginKind.Reward, "plugin-two").Score(group).Single().Values);
    }
}
