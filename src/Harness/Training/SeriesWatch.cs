using Harness.Abstractions;
using Harness.Catalog;

namespace Harness.Training;

/// <summary>A series detector's verdict changed after a step.</summary>
public sealed record VerdictChange(int Step, string Detector, string? Previous, SeriesReport Report);

/// <summary>
/// Runs the series detectors (such as aha-moment) on the run's metrics after every step and reports when a
/// verdict changes. A failing detector stops the run with an error naming it and the call.
/// </summary>
public sealed class SeriesWatch(IReadOnlyList<PluginHandle<ISeriesDetector>> detectors)
{
    private readonly Dictionary<string, string> _verdicts = [];

    /// <summary>Verdicts seen at least once so far, by detector.</summary>
    public IReadOnlyDictionary<string, string> Verdicts => _verdicts;

    /// <summary>Takes the verdicts of a run so far without reporting them (a resumed run).</summary>
    public void Prime(MetricSeries series) => Review(series);

    public IReadOnlyList<VerdictChange> Review(MetricSeries series)
    {
        var changes = new List<VerdictChange>();
        foreach (var detector in detectors)
        {
            var report = Analyze(detector, series, $"after step {series.Steps.LastOrDefault()}");
            var previous = _verdicts.GetValueOrDefault(detector.Name);
            if (previous == report.Verdict) continue;
            _verdicts[detector.Name] = report.Verdict;
            changes.Add(new VerdictChange(series.Steps.LastOrDefault(), detector.Name, previous, report));
        }
        return changes;
    }

    /// <summary>One series detector's report, checked: a verdict and values are required.</summary>
    /// <param name="when">The moment, for errors: e.g. <c>after step 3</c>.</param>
    public static SeriesReport Analyze(PluginHandle<ISeriesDetector> detector, MetricSeries series, string when)
    {
        var call = $"Analyze {when}";
        var report = detector.Call(call, d => d.Analyze(series));
        return string.IsNullOrEmpty(report.Verdict) || report.Values is null
            ? throw detector.Fault(call, "returned a report without a verdict or values")
            : report;
    }
}
