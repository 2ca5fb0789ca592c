using System.Security.Cryptography;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Hosting;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>Discovery, isolation and the bad-input cases of the plugin catalog.</summary>
public class PluginCatalogTests
{
    private static IReadOnlyList<string> BuiltIn => new HarnessOptions().AllPluginDirectories([]);

    [Fact]
    public void First_party_plugins_are_found_with_their_files_and_hashes()
    {
        var catalog = PluginCatalog.Scan(BuiltIn);

        Assert.Equal(
            [
                "reward:accuracy", "reward:format", "reward:language-match", "reward:ngram-repetition", "reward:overlap-penalty", "reward:reflection-bonus", "reward:strict-format",
                "detector:format-hacking", "detector:language-mixing", "detector:length", "detector:repetition", "detector:ritual-verification", "detector:self-verification",
                "series-detector:aha-moment", "fix:plateau-guard", "sampling-fix:repetition-penalty", "policy:hf-causal-lm", "policy:replay", "policy:shape-bandit", "policy:tiny-gpt",
            ],
            catalog.Plugins.Select(p => $"{PluginKinds.Label(p.Kind)}:{p.Name}"));
        foreach (var p in catalog.Plugins)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p.File))), p.Sha256);
            Assert.Equal(Path.GetFileNameWithoutExtension(p.File), p.AssemblyName);
            Assert.Equal(Path.GetFileName(Path.GetDirectoryName(p.File)), p.AssemblyName);
            Assert.Equal(ContractVersion.Current, p.ContractVersion);
        }
        Assert.Empty(catalog.Warnings);
    }

    [Fact]
    public void Plugins_share_the_contract_with_the_host_but_load_in_their_own_context()
    {
        var catalog = PluginCatalog.Scan(BuiltIn);
        var accuracy = catalog.Find(PluginKind.Reward, "accuracy");

        Assert.Same(typeof(IReward).Assembly, accuracy.Type.GetInterfaces().Single(i => i == typeof(IReward)).Assembly);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(accuracy.Type.Assembly));
        var reward = catalog.Create<IReward>(PluginKind.Reward, "accuracy");
        Assert.Equal([1.0, 0.0], reward.Score(Reading.Group("p", new Dictionary<string, string> { ["gold"] = "7" },
            ["<answer>7</answer>", "<answer>8</answer>"])).Single().Values);
    }

    [Fact]
    public void Plugins_command_json_lists_every_plugin_with_its_hash()
    {
        var result = HarnessRunner.Run(["plugins", "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var plugins = json.RootElement.GetProperty("plugins").EnumerateArray().ToArray();
        Assert.Equal(20, plugins.Length);
        Assert.Equal((ContractVersion.Current, ContractVersion.AcceptedRange), (json.RootElement.GetProperty("contract").GetString(), json.RootElement.GetProperty("accepts").GetString()));
        Assert.All(plugins, p =>
        {
            Assert.Matches("^[0-9a-f]{64}$", p.GetProperty("sha256").GetString());
            Assert.True(File.Exists(p.GetProperty("file").GetString()));
            foreach (var field in new[] { "kind", "name", "assembly", "version" })
                Assert.False(string.IsNullOrEmpty(p.GetProperty(field).GetString()), field);
        });
    }

    [Fact]
    public void Unknown_plugin_name_lists_the_names_found()
    {
        var catalog = PluginCatalog.Scan(BuiltIn);

        var e = Assert.Throws<HarnessException>(() => catalog.Find(PluginKind.Reward, "acuracy"));
        Assert.StartsWith("No reward plugin named 'acuracy'. Reward plugins found: accuracy, format, language-match, ngram-repetition, overlap-penalty, reflection-bonus, strict-format (searched ", e.Message);
    }

    [Fact]
    public void A_corrupt_or_foreign_dll_is_skipped_with_a_warning_naming_it()
    {
        using var dir = new TempDirectory();
        var garbage = dir.File("Broken/Broken.dll", "this is not a PE file");
        var native = Path.Combine(dir.Path, "Native", "libfoo.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(native)!);
        File.WriteAllBytes(native, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        TestPluginCompiler.Compile(dir.Path, "Good.Plugin", TestPluginCompiler.ConstantReward("constant", 0.5));

        var catalog = PluginCatalog.Scan([dir.Path, .. BuiltIn]);

        Assert.Contains(catalog.Warnings, w => w.Contains($"'{garbage}'"));
        Assert.Contains(catalog.Warnings, w => w.Contains($"'{native}'"));
        Assert.Equal("Good.Plugin", catalog.Find(PluginKind.Reward, "constant").AssemblyName);
        Assert.Equal(21, catalog.Plugins.Count);
    }

    [Fact]
    public void Two_plugins_with_one_name_are_refused_naming_both_files()
    {
        using var dir = new TempDirectory();
        var first = TestPluginCompiler.Compile(dir.Path, "First.Plugin", TestPluginCompiler.ConstantReward("twin", 1));
        var second = TestPluginCompiler.Compile(dir.Path, "Second.Plugin", TestPluginCompiler.ConstantReward("twin", 2));

        var e = Assert.Throws<HarnessException>(() => PluginCatalog.Scan([dir.Path]));
        Assert.Contains("Two reward plugins are named 'twin'", e.Message);
        Assert.Contains($"'{first}'", e.Message);
        Assert.Contains($"'{second}'", e.Message);
    }

    [Fact]
    public void A_plugin_built_against_an_incompatible_contract_is_refused()
    {
        using var dir = new TempDirectory();
        var path = TestPluginCompiler.Compile(dir.Path, "Future.Plugin", TestPluginCompiler.ConstantReward("future", 1, contract: "2.0"));

        var e = Assert.Throws<HarnessException>(() => PluginCatalog.Scan([dir.Path]));
        Assert.Equal(
            $"Plugin assembly '{path}' was built against contract version '2.0', but this harness (contract {ContractVersion.Current}) " +
            $"accepts plugins built against {ContractVersion.AcceptedRange}. Rebuild the plugin against Harness.Abstractions {ContractVersion.Current}.",
            e.Message);
    }

    [Fact]
    public void A_missing_plugin_directory_is_named()
    {
        var e = Assert.Throws<HarnessException>(() => PluginCatalog.Scan(["/no/such/plugins"]));
        Assert.Equal("Plugin directory '/no/such/plugins' does not exist.", e.Message);
    }

    [Fact]
    public void A_misconfigured_harness_plugin_directory_fails_at_start()
    {
        var result = HarnessRunner.Run(["plugins"], [new("Harness:PluginDirectories:0", "/no/such/dir")]);

        Assert.Equal(HarnessApp.UserError, result.ExitCode);
        Assert.Contains("Harness:PluginDirectories:0 '/no/such/dir' does not exist", result.Error);
    }

    [Fact]
    public void Bad_plugin_settings_name_the_plugin_and_key()
    {
        var catalog = PluginCatalog.Scan(BuiltIn);

        var bad = Assert.Throws<HarnessException>(() =>
            catalog.Create<IReward>(PluginKind.Reward, "format", new Dictionary<string, string> { ["value"] = "lots" }));
        Assert.Equal("Plugin 'format': setting 'value' must be a finite number, got 'lots'.", bad.Message);

        var unwanted = Assert.Throws<HarnessException>(() =>
            catalog.Create<IDetector>(PluginKind.Detector, "length", new Dictionary<string, string> { ["window"] = "3" }));
        Assert.Equal("Plugin 'length' takes no settings, but the config gives: window.", unwanted.Message);
    }

    [Theory]
    [InlineData("1.0", true)]
    [InlineData("1.1", true)]
    [InlineData("1.2", true)]
    [InlineData("1.3", true)]
    [InlineData("1.4", true)]
    [InlineData("1.5", true)]
    [InlineData("1.6", true)]
    [InlineData("1.7", false)]
    [InlineData("0.9", false)]
    [InlineData("2.0", false)]
    [InlineData("one", false)]
    public void Contract_compatibility_rule(string version, bool accepted) =>
        Assert.Equal(accepted, ContractVersion.IsCompatible(version));
}
