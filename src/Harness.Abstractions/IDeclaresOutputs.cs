namespace Harness.Abstractions;

/// <summary>
/// Implemented besides <see cref="IDetector"/> or <see cref="ISeriesDetector"/> by a plugin that declares what it
/// produces (contract 1.4): the metrics it logs and the failure modes it watches. The host renders what is declared
/// and never spells a plugin's metric names itself.
/// </summary>
public interface IDeclaresOutputs
{
    /// <summary>What the plugin produces, as configured.</summary>
    PluginOutputs Outputs { get; }
}

/// <summary>What a plugin produces.</summary>
/// <param name="Metrics">The metrics it logs.</param>
public sealed record PluginOutputs(IReadOnlyList<MetricInfo> Metrics)
{
    /// <summary>The failure modes it watches, judged by <c>harness doctor</c> from its metrics.</summary>
    public IReadOnlyList<FailureModeInfo> FailureModes { get; init; } = [];
}
