using Harness.Abstractions;
using Harness.Catalog;
using Harness.Runs;
using Harness.Experiments;

namespace Harness.Training;

/// <summary>
/// A series detector's announced verdict changed after a step: the verdict first showed at <paramref name="Since"/>,
/// and the one before held <paramref name="PreviousHeld"/> steps (null for the first verdict).
/// </summary>
public sealed record VerdictChange(int Step, string Detector, string? Previous, SeriesReport Report, int Since, int? PreviousHeld);

/// <summary>
/// Runs the series detectors (such as aha-moment) on the run's metrics after every step and announces a verdict
/// change once the new verdict has held <c>hold</c> steps in a row (a verdict that flickers for a step is not news);
/// the first verdict is announced at once, and at the run's last step a verdict still waiting is announced, so the
/// final verdict is the detector's own. A failing detector stops the run with an error naming it and the call.
/// </summary>
/// <param name="detectors">The series detectors.</param>
/// <param name="hold">Steps a new verdict must hold before it is announced (<c>run.verdictHold</c>).</param>
public sealed class SeriesWatch(IReadOnlyList<PluginHandle<ISeriesDetector>> detectors, int hold)
{
    private readonly Dictionary<string, Held> _held = [];

    /// <summary>Takes the verdicts of a run so far without reporting them (a resumed run): every step replayed, so the holds are as they were.</summary>
    public void Prime(MetricHistory history)
    {
        var series = history.ToSeries();
        var replay = new MetricHistory();
        for (var i = 0; i < series.Steps.Count; i++)
        {
            replay.Add(series.Steps[i], series.Metrics.Select(m => KeyValuePair.Create(m.Key, m.Value[i])));
            Review(replay.ToSeries());
        }
    }

    /// <param name="series">The metrics through the step just done.</param>
    /// <param name="last">Whether that step is the run's last: a verdict still waiting is announced.</param>
    public IReadOnlyList<VerdictChange> Review(MetricSeries series, bool last = false)
    {
        var changes = new List<VerdictChange>();
        if (series.Steps.Count == 0) return changes;
        var step = series.Steps[^1];
        foreach (var detector in detectors)
        {
            var report = Analyze(detector, series, $"after step {step}");
            if (!_held.TryGetValue(detector.Name, out var held)) _held[detector.Name] = held = new Held();
            if (report.Verdict == held.Announced)
            {
                held.Candidate = null;
                continue;
            }
            if (report.Verdict != held.Candidate) (held.Candidate, held.CandidateSince) = (report.Verdict, step);
            if (held.Announced is not null && step - held.CandidateSince + 1 < hold && !last) continue;
            changes.Add(new VerdictChange(step, detector.Name, held.Announced, report, held.CandidateSince,
                held.Announced is null ? null : held.CandidateSince - held.AnnouncedSince));
            (held.Announced, held.AnnouncedSince, held.Candidate) = (report.Verdict, held.CandidateSince, null);
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

    /// <summary>
    /// A series detector's verdict on a whole run, with the settings the run gave it when it ran with that detector (a
    /// reconfigured verify_metric, say), else its defaults.
    /// </summary>
    public static SeriesReport Judge(PluginCatalog catalog, LoadedRun run, string detector, string when)
    {
        var entry = run.Config?.Detectors.FirstOrDefault(d => string.Equals(d.Name, detector, StringComparison.OrdinalIgnoreCase));
        var handle = ExperimentPlugins.Open<ISeriesDetector>(catalog, PluginKind.SeriesDetector, entry ?? new PluginReference { Name = detector },
            run.Config?.Run.PluginTimeLimitSeconds ?? RunConfig.DefaultPluginTimeLimitSeconds);
        return Analyze(handle, run.Metrics, when);
    }

    /// <summary>A detector's announced verdict and the one waiting to be, each with the step it first showed.</summary>
    private sealed class Held
    {
        public string? Announced;
        public int AnnouncedSince;
        public string? Candidate;
        public int CandidateSince;
    }
}
