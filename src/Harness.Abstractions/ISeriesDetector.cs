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
public sealed record SeriesReport(string Verdict, IReadOnlyDictionary<string, double> Values, string Explanation)
{
    /// <summary>The curves the verdict rests on (contract 1.4), for the report's chart and table; empty when it rests on none.</summary>
    public IReadOnlyList<SeriesCurve> Curves { get; init; } = [];

    /// <summary>The stretch of steps the verdict points at (contract 1.4), e.g. the aha window; null when none.</summary>
    public SeriesWindow? Window { get; init; }
}

/// <summary>One curve a series verdict rests on, and its shape (contract 1.4); a shape value is null when it was not fitted.</summary>
/// <param name="Metric">The metric, by its name in the series.</param>
public sealed record SeriesCurve(string Metric)
{
    /// <summary>Its first value.</summary>
    public double? First { get; init; }

    /// <summary>Its last value.</summary>
    public double? Last { get; init; }

    /// <summary>The step where it bends (a flat-then-ramp fit's break).</summary>
    public double? BendStep { get; init; }

    /// <summary>Its value at the bend.</summary>
    public double? ValueAtBend { get; init; }

    /// <summary>Its slope per step before the bend.</summary>
    public double? SlopeBefore { get; init; }

    /// <summary>Its slope per step after the bend.</summary>
    public double? SlopeAfter { get; init; }
}

/// <summary>A stretch of steps a series verdict points at (contract 1.4).</summary>
/// <param name="Start">Its first step.</param>
/// <param name="End">Its last step.</param>
/// <param name="At">The step it is named by, e.g. the aha step.</param>
/// <param name="Label">How a chart labels it, e.g. <c>"aha window, step 45"</c>.</param>
public sealed record SeriesWindow(double Start, double End, double At, string Label);
