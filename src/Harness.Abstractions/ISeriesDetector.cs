namespace Harness.Abstractions;

/// <summary>
/// A detector of a run's shape over time (contract 1.2): it reads the per-step metrics so far and gives a
/// verdict, such as whether and where an aha moment happened. The engine calls it after every step; the
/// same detector runs offline on a finished run's <c>metrics.jsonl</c>.
/// </summary>
public interface ISeriesDetector
{
    /// <summary>Analyzes the metrics of every step so far.</summary>
    /// <param name="series">The run's metrics, one entry per step, in step order.</param>
    /// <returns>The verdict and the numbers behind it.</returns>
    SeriesReport Analyze(MetricSeries series);
}

/// <summary>A run's metrics by step.</summary>
/// <param name="Steps">The step numbers, ascending.</param>
/// <param name="Metrics">Each metric's value at each of <paramref name="Steps"/>; null where it was not measured (e.g. pass@1 between evaluations).</param>
public sealed record MetricSeries(IReadOnlyList<int> Steps, IReadOnlyDictionary<string, IReadOnlyList<double?>> Metrics);

/// <summary>What a series detector concluded.</summary>
/// <param name="Verdict">A short label, e.g. <c>aha</c> or <c>no-aha</c>.</param>
/// <param name="Values">The numbers behind it, by name (e.g. <c>aha_step</c>, <c>slope_before/self_verify_rate</c>).</param>
/// <param name="Explanation">One or two sentences a person can read.</param>
public sealed record SeriesReport(string Verdict, IReadOnlyDictionary<string, double> Values, string Explanation);
