using Harness.Abstractions;
using Harness.Plugins;

namespace Harness.Experiments;

/// <summary>The plugins an experiment names, created with their settings.</summary>
public sealed record ExperimentPlugins(
    IPolicy Policy,
    IReadOnlyList<(RewardReference Reference, IReward Reward)> Rewards,
    IReadOnlyList<IDetector> Detectors,
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

        var policy = Create<IPolicy>(PluginKind.Policy, config.Policy!);
        var rewards = config.Rewards.Select(r => (r, Create<IReward>(PluginKind.Reward, r))).ToArray();
        var detectors = config.Detectors.Select(d => Create<IDetector>(PluginKind.Detector, d)).ToArray();
        var fixes = config.Fixes.Select(f => Create<IFixStrategy>(PluginKind.FixStrategy, f)).ToArray();
        return new ExperimentPlugins(policy, rewards, detectors, fixes, used.Distinct().ToArray());
    }
}
