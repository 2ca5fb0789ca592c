using Harness.Abstractions;
using Harness.Catalog;

namespace Harness.Experiments;

/// <summary>A reward plugin as an experiment uses it: guarded calls, and the weight of every term it returns.</summary>
public sealed record WeightedReward(PluginHandle<IReward> Plugin, double Weight)
{
    public string Name => Plugin.Name;
}

/// <summary>The plugins of an experiment that score completions.</summary>
public sealed record ScoringPlugins(
    IReadOnlyList<WeightedReward> Rewards,
    IReadOnlyList<PluginHandle<IDetector>> Detectors,
    IReadOnlyList<PluginHandle<ISeriesDetector>> SeriesDetectors,
    IReadOnlyList<PluginDescriptor> Used);

/// <summary>The plugins an experiment names, created with their settings; every call into them is guarded (<see cref="PluginHandle{T}"/>).</summary>
public sealed record ExperimentPlugins(
    IPolicy Policy,
    IReadOnlyList<WeightedReward> Rewards,
    IReadOnlyList<PluginHandle<IDetector>> Detectors,
    IReadOnlyList<PluginHandle<ISeriesDetector>> SeriesDetectors,
    IReadOnlyList<PluginHandle<IFixStrategy>> Fixes,
    IReadOnlyList<(string Name, ILogitsProcessor Processor)> SamplingFixes,
    IReadOnlyList<PluginDescriptor> Used)
{
    /// <summary>Finds and creates the plugin an entry names, as a guarded handle with the entry's time limit.</summary>
    public static PluginHandle<T> Open<T>(PluginCatalog catalog, PluginKind kind, PluginReference entry, double defaultLimitSeconds) where T : class =>
        PluginCatalog.Open<T>(catalog.Find(kind, entry.Name), entry.Settings, entry.TimeLimit(defaultLimitSeconds));

    /// <summary>
    /// Resolves every plugin the config names; the first unknown name fails with the names found. Completes the
    /// config on the way: the settings each plugin declares as paths become absolute in its entry, before the plugin
    /// is created and before the run directory records the config.
    /// </summary>
    public static ExperimentPlugins Resolve(ExperimentConfig config, PluginCatalog catalog)
    {
        var resolver = new Resolver(config, catalog);
        var scoring = resolver.Scoring();
        var (fixes, samplingFixes) = resolver.Split<IFixStrategy, ILogitsProcessor>(config.Fixes, PluginKind.FixStrategy, PluginKind.SamplingFix);
        var policyPlugin = catalog.Find(PluginKind.Policy, config.Policy!.Name);
        resolver.Used.Add(policyPlugin);
        AbsolutePaths(policyPlugin, config.Policy);
        var policy = PluginCatalog.Create<IPolicy>(policyPlugin, config.Policy.Settings);
        return new ExperimentPlugins(policy, scoring.Rewards, scoring.Detectors, scoring.SeriesDetectors, fixes,
            [.. samplingFixes.Select(s => (s.Name, s.Instance))], resolver.Used.Distinct().ToArray());
    }

    /// <summary>Only what scores completions: the rewards, the detectors and the series detectors (no policy, no fixes), as a reward service hosts them.</summary>
    public static ScoringPlugins ResolveScoring(ExperimentConfig config, PluginCatalog catalog) => new Resolver(config, catalog).Scoring();

    private sealed class Resolver(ExperimentConfig config, PluginCatalog catalog)
    {
        public List<PluginDescriptor> Used { get; } = [];

        public ScoringPlugins Scoring()
        {
            var (detectors, seriesDetectors) = Split<IDetector, ISeriesDetector>(config.Detectors, PluginKind.Detector, PluginKind.SeriesDetector);
            var rewards = config.Rewards.Select(r => new WeightedReward(Open<IReward>(catalog.Find(PluginKind.Reward, r.Name), r), r.Weight)).ToArray();
            return new ScoringPlugins(rewards, detectors, seriesDetectors, Used.Distinct().ToArray());
        }

        // One list may name two kinds: "detectors" holds detectors of completions and of the run's series,
        // "fixes" holds strategies that adjust training and fixes applied while sampling.
        public (List<PluginHandle<TFirst>>, List<PluginHandle<TSecond>>) Split<TFirst, TSecond>(List<PluginReference> references, PluginKind first, PluginKind second)
            where TFirst : class where TSecond : class
        {
            var (firsts, seconds) = (new List<PluginHandle<TFirst>>(), new List<PluginHandle<TSecond>>());
            foreach (var reference in references)
            {
                var plugin = catalog.Find(reference.Name, first, second);
                if (plugin.Kind == first) firsts.Add(Open<TFirst>(plugin, reference));
                else seconds.Add(Open<TSecond>(plugin, reference));
            }
            return (firsts, seconds);
        }

        private PluginHandle<T> Open<T>(PluginDescriptor plugin, PluginReference reference) where T : class
        {
            Used.Add(plugin);
            AbsolutePaths(plugin, reference);
            if (plugin.Kind == PluginKind.SamplingFix && reference.TimeLimitSeconds is not null)
                throw new HarnessException($"Sampling fix '{plugin.Name}' cannot take timeLimitSeconds: it runs inside the policy's sampling, once per token, on the training thread.");
            return PluginCatalog.Open<T>(plugin, reference.Settings, reference.TimeLimit(config.Run.PluginTimeLimitSeconds));
        }
    }

    private static void AbsolutePaths(PluginDescriptor plugin, PluginReference reference)
    {
        foreach (var key in plugin.PathSettings)
            if (reference.Settings.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)) is { Value.Length: > 0 } setting)
                reference.Settings[setting.Key] = Path.GetFullPath(setting.Value);
    }
}
