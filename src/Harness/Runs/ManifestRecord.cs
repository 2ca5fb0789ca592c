namespace Harness.Runs;

/// <summary>manifest.json: exactly what ran.</summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="Created">When the run started (UTC, ISO 8601).</param>
/// <param name="Harness">The harness's version.</param>
/// <param name="Contract">The plugin contract's version.</param>
/// <param name="Plugins">Every plugin used, with the file and SHA-256 that ran.</param>
/// <param name="Rewards">The reward entries with their weights and settings.</param>
/// <param name="Fixes">The fix entries (strategies and sampling fixes) with their settings.</param>
public sealed record ManifestRecord(
    string Experiment,
    string Created,
    string Harness,
    string Contract,
    long Seed,
    string Device,
    int Threads,
    string TorchSharp,
    string Libtorch,
    string Os,
    string Dotnet,
    IReadOnlyList<ManifestPlugin> Plugins,
    IReadOnlyList<ManifestReward> Rewards,
    IReadOnlyList<ManifestFix> Fixes);

/// <summary>A plugin as manifest.json records it.</summary>
public sealed record ManifestPlugin(string Kind, string Name, string Assembly, string Version, string Contract, string File, string Sha256);

/// <summary>A reward entry as manifest.json records it.</summary>
public sealed record ManifestReward(string Name, double Weight, IReadOnlyDictionary<string, string> Settings);

/// <summary>A fix entry as manifest.json records it; its kind is fix-strategy or sampling-fix.</summary>
public sealed record ManifestFix(string Name, string Kind, IReadOnlyDictionary<string, string> Settings);
