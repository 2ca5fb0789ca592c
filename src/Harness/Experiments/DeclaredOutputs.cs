using Harness.Abstractions;
using Harness.Catalog;

namespace Harness.Experiments;

/// <summary>A failure mode a detector declares it watches (contract 1.4), with the detector's name.</summary>
public sealed record DeclaredFailureMode(string Detector, FailureModeInfo Info);

/// <summary>
/// What the detectors declare they produce (contract 1.4): their metrics, for the report and the progress line, and
/// the failure modes they watch, for <c>harness doctor</c>. Every detector the catalog finds is asked, with its
/// settings from the experiment when the experiment names it, so a mode whose detector a run lacks is still listed
/// (as not measured, naming the detector to add). The host spells none of these names itself.
/// </summary>
public sealed record DeclaredOutputs(IReadOnlyList<MetricInfo> Metrics, IReadOnlyList<DeclaredFailureMode> FailureModes)
{
    /// <param name="config">The run's experiment, for the detectors' settings; null when unknown.</param>
    public static DeclaredOutputs Of(ExperimentConfig? config, PluginCatalog catalog)
    {
        var metrics = new List<MetricInfo>();
        var modes = new List<DeclaredFailureMode>();
        foreach (var plugin in catalog.Plugins.Where(p => p.Kind is PluginKind.Detector or PluginKind.SeriesDetector && typeof(IDeclaresOutputs).IsAssignableFrom(p.Type)).DistinctBy(p => p.Type))
        {
            var entry = config?.Detectors.FirstOrDefault(d => string.Equals(d.Name, plugin.Name, StringComparison.OrdinalIgnoreCase));
            PluginHandle<IDeclaresOutputs> handle;
            try
            {
                handle = PluginCatalog.Open<IDeclaresOutputs>(plugin, entry?.Settings, PluginCallGuard.Limit(RunConfig.DefaultPluginTimeLimitSeconds));
            }
            catch (HarnessException) when (entry is null)
            {
                // A detector this run did not use, which does not start without settings: it declares nothing here.
                continue;
            }
            var outputs = handle.Call("Outputs", p => p.Outputs);
            if (outputs.Metrics is null || outputs.FailureModes is null || outputs.Metrics.Any(m => m is null) || outputs.FailureModes.Any(m => m is null))
                throw handle.Fault("Outputs", "declared null metrics or failure modes");
            metrics.AddRange(outputs.Metrics);
            modes.AddRange(outputs.FailureModes.Select(m => new DeclaredFailureMode(plugin.Name, m)));
        }
        return new DeclaredOutputs([.. metrics.DistinctBy(m => m.Name)], modes);
    }
}
