using Harness.Abstractions;

namespace Harness.Regression;

/// <summary>One baseline metric compared with a run: the value found (null when the run lacks it) and whether it is within tolerance.</summary>
public sealed record MetricCheck(BaselineMetric Metric, int Step, double? Actual)
{
    public double? Difference => Actual - Metric.Value;

    public bool Passed => Difference is { } d && Math.Abs(d) <= Metric.Tolerance;

    /// <summary>What moved, in one line, e.g. "reward_mean at step 20: 0.4125 (baseline 0.3875, +0.025, tolerance 1e-06)".</summary>
    public string Describe() => Actual is { } actual
        ? FormattableString.Invariant($"{Metric.Name} at step {Step}: {actual:G6} (baseline {Metric.Value:G6}, {Difference:+0.######;-0.######;0}, tolerance {Metric.Tolerance:G3})")
        : $"{Metric.Name} at step {Step}: not in the run's metrics.jsonl";

    /// <summary>Compares every metric of a baseline with a run's metrics.</summary>
    public static IReadOnlyList<MetricCheck> Compare(Baseline baseline, MetricSeries series)
    {
        if (series.Steps.Count == 0) throw new HarnessException("The run has no metrics to compare.");
        var steps = series.Steps.ToList();
        return [.. baseline.Metrics.Select(m =>
        {
            var step = m.Step ?? steps[^1];
            var index = steps.IndexOf(step);
            var actual = index >= 0 && series.Metrics.TryGetValue(m.Name, out var column) ? column[index] : null;
            return new MetricCheck(m, step, actual);
        })];
    }
}
