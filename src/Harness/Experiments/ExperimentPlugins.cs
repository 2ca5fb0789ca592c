using Harness.Abstractions;
using Harness.Plugins;

namespace Harness.Experiments;

/// <summary>The plugins an experiment names, created with their settings.</summary>
public sealed record ExperimentPlugins(
    IPolicy Policy,
    IReadOnlyList<(RewardReference Reference, IReward Reward)> Rewards,
    IReadOnlyList<(string Name, IDetector Detector)> Detectors,
    IReadOnlyList<(string Name, ISeriesDetector Detector)> SeriesDetectors,
    IReadOnlyList<IFixStrategy> Fixes,
    IReadOnlyList<PluginDescriptor> Used)
{
    /// <summary>Resolves every plugin the config names; the first unknown name fails with the names found.</summary>
    public static ExperimentPlugins Resolve(ExperimentConfig config, PluginCatalog catalog)
    {
        var used = new List<PluginDescriptor>();
        T Create<T>(PluginKind kind, PluginReference reference) where T : class
        {
            var plugin = catalog.Find(kind, reference.Name);
            used.Add(plugin);
            return PluginCatalog.Create<T>(plugin, reference.Settings);
        }

        // "detectors" names both kinds: per-step detectors of completions and detectors of the run's series.
        var detectors = new List<(string, IDetector)>();
        var seriesDetectors = new List<(string, ISeriesDetector)>();
        foreach (var reference in config.Detectors)
        {
            var plugin = catalog.Find(reference.Name, PluginKind.Detector, PluginKind.SeriesDetector);
            used.Add(plugin);
            if (plugin.Kind == PluginKind.Detector) detectors.Add((plugin.Name, PluginCatalog.Create<IDetector>(plugin, reference.Settings)));
            else seriesDetectors.Add((plugin.Name, PluginCatalog.Create<ISeriesDetector>(plugin, reference.Settings)));
        }

        var policy = Create<IPolicy>(PluginKind.Policy, config.Policy!);
        var rewards = config.Rewards.Select(r => (r, Create<IReward>(PluginKind.Reward, r))).ToArray();
        var fixes = config.Fixes.Select(f => Create<IFixStrategy>(PluginKind.FixStrategy, f)).ToArray();
        return new ExperimentPlugins(policy, rewards, detectors, seriesDetectors, fixes, used.Distinct().ToArray());
    }
}
