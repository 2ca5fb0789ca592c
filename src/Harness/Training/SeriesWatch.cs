using Harness.Abstractions;

namespace Harness.Training;

/// <summary>A series detector's verdict changed after a step.</summary>
public sealed record VerdictChange(int Step, string Detector, string? Previous, SeriesReport Report);

/// <summary>
/// Runs the series detectors (such as aha-moment) on the run's metrics after every step and reports when a
/// verdict changes. A failing detector stops the run with an error naming it.
/// </summary>
public sealed class SeriesWatch(IReadOnlyList<(string Name, ISeriesDetector Detector)> detectors)
{
    private readonly Dictionary<string, string> _verdicts = [];

    /// <summary>Verdicts seen at least once so far, by detector.</summary>
    public IReadOnlyDictionary<string, string> Verdicts => _verdicts;

    /// <summary>Takes the verdicts of a run so far without reporting them (a resumed run).</summary>
    public void Prime(MetricSeries series) => Review(series);

    public IReadOnlyList<VerdictChange> Review(MetricSeries series)
    {
        var changes = new List<VerdictChange>();
        foreach (var (name, detector) in detectors)
        {
            SeriesReport report;
            try
            {
                report = detector.Analyze(series);
            }
            catch (Exception e)
            {
                throw new HarnessException($"Series detector '{name}' failed after step {series.Steps.LastOrDefault()}: {e.GetType().Name}: {e.Message}", e);
            }
            var previous = _verdicts.GetValueOrDefault(name);
            if (previous == report.Verdict) continue;
            _verdicts[name] = report.Verdict;
            changes.Add(new VerdictChange(series.Steps.LastOrDefault(), name, previous, report));
        }
        return changes;
    }
}
