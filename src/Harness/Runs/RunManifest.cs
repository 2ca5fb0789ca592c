using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Experiments;
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
        File.WriteAllText(path, JsonSerializer.Serialize(document, Core.JsonOutput.Options));
    }

    private static string KindOf(string name, IReadOnlyList<PluginDescriptor> plugins) =>
        plugins.FirstOrDefault(p => p.Name == name && p.Kind is PluginKind.FixStrategy or PluginKind.SamplingFix) is { } plugin ? PluginKinds.Label(plugin.Kind) : "";

    /// <summary>
    /// The plugins whose file differs from the one a manifest records, or that it does not list, each with
    /// the SHA-256 it records (null when it does not list the plugin).
    /// </summary>
    public static IReadOnlyList<(PluginDescriptor Plugin, string? Recorded)> Mismatches(string path, IReadOnlyList<PluginDescriptor> plugins)
    {
        Dictionary<(string?, string?), string?> recorded;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            recorded = document.RootElement.GetProperty("plugins").EnumerateArray()
                .ToDictionary(p => (p.GetProperty("kind").GetString(), p.GetProperty("name").GetString()), p => p.GetProperty("sha256").GetString());
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new HarnessException($"'{path}' is not a readable run manifest (manifest.json with a \"plugins\" list): {e.Message}", e);
        }
        return [.. plugins
            .Select(p => (Plugin: p, Recorded: recorded.GetValueOrDefault((PluginKinds.Label(p.Kind), p.Name))))
            .Where(m => m.Recorded != m.Plugin.Sha256)];
    }

    /// <summary>Refuses, naming each, the plugins that do not match a locked manifest (<c>harness run --locked</c>).</summary>
    public static void RequireLocked(string path, IReadOnlyList<PluginDescriptor> plugins)
    {
        var mismatches = Mismatches(path, plugins);
        if (mismatches.Count == 0) return;
        throw new HarnessException($"Locked to {path}, but " + string.Join("; ", mismatches.Select(m =>
            $"plugin '{m.Plugin.Name}' ({PluginKinds.Label(m.Plugin.Kind)}, {m.Plugin.File}) has SHA-256 {m.Plugin.Sha256}, " +
            (m.Recorded is null ? "and the manifest does not list it" : $"the manifest records {m.Recorded}"))) +
            ". Nothing was run. Rebuild or restore the recorded plugin, or drop --locked.");
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "";
}
