using System.Reflection;
using System.Runtime.InteropServices;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Experiments;
using TorchSharp;

namespace Harness.Runs;

/// <summary>
/// manifest.json (<see cref="ManifestRecord"/>): exactly what ran — harness, contract, every plugin file with its
/// SHA-256, the rewards and fixes with their settings, seed, device and libtorch — and the check of a run locked to one.
/// </summary>
public static class RunManifest
{
    public static void Write(string path, ExperimentConfig config, string device, int threads, IReadOnlyList<PluginDescriptor> plugins) =>
        RunFile.WriteIndented(path, new ManifestRecord(
            config.Name,
            DateTimeOffset.UtcNow.ToString("O"),
            Version(typeof(RunManifest).Assembly),
            ContractVersion.Current,
            config.Seed,
            device,
            threads,
            Version(typeof(torch).Assembly),
            torch.__version__,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            [.. plugins.Select(p => new ManifestPlugin(PluginKinds.Label(p.Kind), p.Name, p.AssemblyName, p.Version, p.ContractVersion, p.File, p.Sha256))],
            [.. config.Rewards.Select(r => new ManifestReward(r.Name, r.Weight, r.Settings))],
            [.. config.Fixes.Select(f => new ManifestFix(f.Name, KindOf(f.Name, plugins), f.Settings))]));

    private static string KindOf(string name, IReadOnlyList<PluginDescriptor> plugins) =>
        plugins.FirstOrDefault(p => p.Name == name && p.Kind is PluginKind.FixStrategy or PluginKind.SamplingFix) is { } plugin ? PluginKinds.Label(plugin.Kind) : "";

    /// <summary>
    /// The plugins whose file differs from the one a manifest records, or that it does not list, each with
    /// the SHA-256 it records (null when it does not list the plugin).
    /// </summary>
    public static IReadOnlyList<(PluginDescriptor Plugin, string? Recorded)> Mismatches(string path, IReadOnlyList<PluginDescriptor> plugins)
    {
        var recorded = RunFile.Read<ManifestRecord>(path, "run manifest (manifest.json with a \"plugins\" list)").Plugins
            .ToDictionary(p => (p.Kind, p.Name), p => p.Sha256);
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
