using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Experiments;
using Harness.Plugins;
using TorchSharp;

namespace Harness.Runs;

/// <summary>
/// manifest.json: exactly what ran — harness, contract, every plugin file with its SHA-256, the rewards and
/// fixes with their settings, seed, device and libtorch.
/// </summary>
public static class RunManifest
{
    public static void Write(string path, ExperimentConfig config, string device, int threads, IReadOnlyList<PluginDescriptor> plugins)
    {
        var document = new Dictionary<string, object?>
        {
            ["experiment"] = config.Name,
            ["created"] = DateTimeOffset.UtcNow.ToString("O"),
            ["harness"] = Version(typeof(RunManifest).Assembly),
            ["contract"] = ContractVersion.Current,
            ["seed"] = config.Seed,
            ["device"] = device,
            ["threads"] = threads,
            ["torchSharp"] = Version(typeof(torch).Assembly),
            ["libtorch"] = torch.__version__,
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["plugins"] = plugins.Select(p => new Dictionary<string, string>
            {
                ["kind"] = PluginKinds.Label(p.Kind),
                ["name"] = p.Name,
                ["assembly"] = p.AssemblyName,
                ["version"] = p.Version,
                ["contract"] = p.ContractVersion,
                ["file"] = p.File,
                ["sha256"] = p.Sha256,
            }).ToArray(),
            ["rewards"] = config.Rewards.Select(r => new { name = r.Name, weight = r.Weight, settings = r.Settings }).ToArray(),
            ["fixes"] = config.Fixes.Select(f => new { name = f.Name, kind = KindOf(f.Name, plugins), settings = f.Settings }).ToArray(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Commands.JsonOutput.Options));
    }

    private static string KindOf(string name, IReadOnlyList<PluginDescriptor> plugins) =>
        plugins.FirstOrDefault(p => p.Name == name && p.Kind is PluginKind.FixStrategy or PluginKind.SamplingFix) is { } plugin ? PluginKinds.Label(plugin.Kind) : "";

    /// <summary>Plugins whose file changed since the manifest was written, as "name (kind)".</summary>
    public static IReadOnlyList<string> ChangedPlugins(string path, IReadOnlyList<PluginDescriptor> plugins)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var recorded = document.RootElement.GetProperty("plugins").EnumerateArray()
            .ToDictionary(p => (p.GetProperty("kind").GetString(), p.GetProperty("name").GetString()), p => p.GetProperty("sha256").GetString());
        return [.. plugins
            .Where(p => recorded.GetValueOrDefault((PluginKinds.Label(p.Kind), p.Name)) != p.Sha256)
            .Select(p => $"{p.Name} ({PluginKinds.Label(p.Kind)})")];
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "";
}
