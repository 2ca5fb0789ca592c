using Harness.Abstractions;

namespace Harness.Catalog;

/// <summary>The kinds of plugin, each defined by one contract interface.</summary>
public enum PluginKind { Reward, Detector, SeriesDetector, FixStrategy, SamplingFix, Policy }

public static class PluginKinds
{
    /// <summary>The contract interface of each kind; these types are shared between host and plugins.</summary>
    public static IReadOnlyDictionary<PluginKind, Type> Contracts { get; } = new Dictionary<PluginKind, Type>
    {
        [PluginKind.Reward] = typeof(IReward),
        [PluginKind.Detector] = typeof(IDetector),
        [PluginKind.SeriesDetector] = typeof(ISeriesDetector),
        [PluginKind.FixStrategy] = typeof(IFixStrategy),
        [PluginKind.SamplingFix] = typeof(ILogitsProcessor),
        [PluginKind.Policy] = typeof(IPolicy),
    };

    /// <summary>
    /// Types whose assemblies every plugin shares with the host: the contract, and TorchSharp so that a
    /// trainable policy's tensors and modules are the host's (one libtorch per process).
    /// </summary>
    public static IReadOnlyList<Type> SharedTypes { get; } = [.. Contracts.Values, typeof(TorchSharp.torch)];

    public static string Label(PluginKind kind) => kind switch
    {
        PluginKind.FixStrategy => "fix",
        PluginKind.SeriesDetector => "series-detector",
        PluginKind.SamplingFix => "sampling-fix",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
