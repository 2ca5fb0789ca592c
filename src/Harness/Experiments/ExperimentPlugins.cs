using Harness.Abstractions;
using Harness.Plugins;

namespace Harness.Experiments;

/// <summary>The plugins an experiment names, created with their settings.</summary>
public sealed record ExperimentPlugins(
    IPolicy Policy,
    IReadOnlyList<(RewardReference Reference, IReward Reward)> Rewards,
    IReadOnlyList<(string Name, IDetector Detector)> Detectors,
    IReadOnlyList<(string Name, ISeriesDetector Detector)> SeriesDetectors,
    IReadOnlyList<(string Name, IFixStrategy Fix)> Fixes,
    IReadOnlyList<(string Name, ILogitsProcessor Processor)> SamplingFixes,
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

        // One list may name two kinds: "detectors" holds detectors of completions and of the run's series,
        // "fixes" holds strategies that adjust training and fixes applied while sampling.
        (List<(string, TFirst)>, List<(string, TSecond)>) Split<TFirst, TSecond>(List<PluginReference> references, PluginKind first, PluginKind second)
            where TFirst : class where TSecond : class
        {
            var (firsts, seconds) = (new List<(string, TFirst)>(), new List<(string, TSecond)>());
            foreach (var reference in references)
            {
                var plugin = catalog.Find(reference.Name, first, second);
                used.Add(plugin);
                if (plugin.Kind == first) firsts.Add((plugin.Name, PluginCatalog.Create<TFirst>(plugin, reference.Settings)));
                else seconds.Add((plugin.Name, PluginCatalog.Create<TSecond>(plugin, reference.Settings)));
            }
            return (firsts, seconds);
        }

        var (detectors, seriesDetectors) = Split<IDetector, ISeriesDetector>(config.Detectors, PluginKind.Detector, PluginKind.SeriesDetector);
        var (fixes, samplingFixes) = Split<IFixStrategy, ILogitsProcessor>(config.Fixes, PluginKind.FixStrategy, PluginKind.SamplingFix);
        var policy = Create<IPolicy>(PluginKind.Policy, config.Policy!);
        var rewards = config.Rewards.Select(r => (r, Create<IReward>(PluginKind.Reward, r))).ToArray();
        return new ExperimentPlugins(policy, rewards, detectors, seriesDetectors, fixes, samplingFixes, used.Distinct().ToArray());
    }
}
