using Harness.Experiments;
using Harness.Runs;
using Harness.Sessions;
using Harness.Training;
using Microsoft.Extensions.Logging;

namespace Harness.Serving;

/// <summary>How the service counts training steps: from the step each request names, or by windows of scored completions.</summary>
public enum StepCounting
{
    /// <summary>Not decided: the first request decides.</summary>
    Undecided,

    /// <summary>Every request names its step (a <c>step</c> field or an <c>X-Harness-Step</c> header).</summary>
    FromRequests,

    /// <summary>No request names one: every <c>window</c> completions make a step.</summary>
    Windows,
}

/// <summary>
/// The run directory a service writes while an engine trains against it, so that <c>detect</c>, <c>doctor</c> and
/// <c>report</c> read it live: config.json and manifest.json at the start, then per training step (when a later step
/// begins, a window fills, or the service stops) its metrics line (the detectors' rates and the reward means over every
/// completion scored in it), the first <c>keep</c> completions with their flags, the series detectors' verdict changes
/// (events.jsonl) and TensorBoard scalars. Append-only and flushed step by step; a request for a step already written
/// is scored but not counted (<see cref="Late"/>). One writer: the service holds writer.lock.
/// </summary>
public sealed class ServiceRun : IDisposable
{
    private readonly RunDirectory _run;
    private readonly RunLock _lock;
    private readonly RunLogs _logs;
    private readonly SeriesWatch _watch;
    private readonly MetricHistory _history = new();
    private readonly int _keep, _window;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private int _open = 1;
    private StepRates _rates = new();
    private List<CompletionRecord> _kept = [];

    private ServiceRun(RunDirectory run, RunLock writerLock, ScoringPlugins plugins, int hold, int keep, int window, ILogger log)
    {
        (_run, _lock, _keep, _window, _log) = (run, writerLock, keep, window, log);
        _logs = RunLogs.Create(run);
        _watch = new SeriesWatch(plugins.SeriesDetectors, hold);
    }

    public string Root => _run.Root;

    /// <summary>How the steps are counted, decided by the first request.</summary>
    public StepCounting Counting { get; private set; }

    /// <summary>Completions scored for a step already written, not counted in its metrics.</summary>
    public long Late { get; private set; }

    /// <summary>A new run directory for the service, its lock taken before anything is written.</summary>
    public static ServiceRun Create(string outDir, ExperimentConfig config, ScoringPlugins plugins, int lanes, int keep, int window, ILogger log)
    {
        var run = RunDirectory.CreateNew(outDir);
        var writerLock = RunLock.Acquire(run);
        try
        {
            RunFile.WriteIndented(run.Config, config);
            RunManifest.Write(run.Manifest, config, "cpu", lanes, plugins.Used);
            return new ServiceRun(run, writerLock, plugins, config.Run.VerdictHold, keep, window, log);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>Counts a scored batch in its step (named by the request, or the open window) and returns that step, and whether it came late.</summary>
    /// <exception cref="ServiceRequestException">The request names a step where earlier ones did not, or the other way round.</exception>
    public (int Step, bool Late) Record(int? step, IReadOnlyList<CompletionRecord> scored, IReadOnlyDictionary<string, double> aggregates)
    {
        lock (_gate)
        {
            var counting = step is null ? StepCounting.Windows : StepCounting.FromRequests;
            if (Counting == StepCounting.Undecided) Counting = counting;
            else if (Counting != counting)
                throw new ServiceRequestException("step", Counting == StepCounting.FromRequests
                    ? "is missing: this service counts steps from the requests' step since its first request named one; name it on every request"
                    : "was given, but this service counts steps by windows of completions since its first request named none; name none");
            if (step is { } named)
            {
                if (named < _open)
                {
                    Late += scored.Count;
                    return (named, true);
                }
                if (named > _open) Flush(named);
            }
            var counted = _open;
            _rates.Add(aggregates, scored.Count);
            foreach (var record in scored.Take(_keep - _kept.Count)) _kept.Add(record with { Step = counted });
            if (Counting == StepCounting.Windows && _rates.Completions >= _window) Flush(_open + 1);
            return (counted, false);
        }
    }

    /// <summary>Writes the open step (if it has completions) and opens <paramref name="next"/>.</summary>
    private void Flush(int next)
    {
        if (_rates.Completions > 0)
        {
            var line = new StepMetrics(_open);
            foreach (var (name, value) in _rates.Means()) line.Set(name, value);
            line.Set("completions_scored", _rates.Completions);
            _logs.Completions.Append(_open, _kept.Select(RunFile.Line));
            _history.Add(_open, line.Values);
            var changes = _watch.Review(_history.ToSeries());
            _logs.Events.Append(_open, changes.Select(RunLoop.VerdictLine));
            foreach (var change in changes)
                _log.LogInformation("{Detector}: {Verdict} after step {Step}. {Explanation}", change.Detector, change.Report.Verdict, change.Step, change.Report.Explanation);
            _logs.Metrics.Append(_open, [RunFile.Line(line)]);
            _logs.TensorBoard.Write(line);
        }
        (_open, _rates, _kept) = (next, new StepRates(), []);
    }

    /// <summary>Records a failed request in errors.jsonl, as a run records its stop.</summary>
    public void RecordError(Exception error)
    {
        lock (_gate) RunRecording.Record(_run, error);
    }

    /// <summary>Writes the open step and lets go of the directory.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            Flush(_open + 1);
            _logs.Dispose();
            _lock.Dispose();
        }
    }
}
