using Harness.Abstractions;
using Harness.Experiments;

namespace Harness.Runs;

/// <summary>
/// The read model of a run, built once and handed to <c>detect</c>, <c>doctor</c>, <c>report</c> and <c>regress</c>,
/// as BenchmarkDotNet hands one Summary to its exporters. Metric series by name; completions streamed on demand; what
/// the source does not hold is null or empty, so a reader says "not measured" instead of guessing. Our run directories
/// load through <see cref="Open"/>; readers of other trainers' files build the same model.
/// </summary>
public sealed class LoadedRun
{
    private readonly Func<IEnumerable<CompletionRecord>>? _completions;
    private Lazy<ExperimentConfig?> _config = new((ExperimentConfig?)null);
    private Lazy<ManifestRecord?> _manifest = new((ManifestRecord?)null);
    private Lazy<IReadOnlyList<RunEvent>> _events = new([]);
    private Lazy<IReadOnlyList<ProbeRecord>> _probes = new([]);

    /// <param name="completions">Streams the logged completions; null when the source has none.</param>
    public LoadedRun(string name, string source, MetricSeries metrics, Func<IEnumerable<CompletionRecord>>? completions = null)
    {
        Name = name;
        Source = source;
        Metrics = metrics;
        _completions = completions;
    }

    /// <summary>A short name, e.g. the run directory's.</summary>
    public string Name { get; }

    /// <summary>Where it was read from (a directory or a file), as a full path.</summary>
    public string Source { get; }

    /// <summary>What wrote it: <c>harness</c> for ours, else the trainer or dump it was read from (e.g. <c>verl</c>).</summary>
    public string Producer { get; init; } = "harness";

    /// <summary>Every logged metric by name, one value per step (null where a step did not measure it).</summary>
    public MetricSeries Metrics { get; }

    // Each part is read when first asked for, so a reader never fails on a file it does not need.

    /// <summary>The resolved experiment; null when the source does not record one.</summary>
    public ExperimentConfig? Config { get => _config.Value; init => _config = new(value); }

    /// <summary>What ran; null when the source does not record it.</summary>
    public ManifestRecord? Manifest { get => _manifest.Value; init => _manifest = new(value); }

    /// <summary>What fix strategies did and how series verdicts changed, in step order.</summary>
    public IReadOnlyList<RunEvent> Events { get => _events.Value; init => _events = new(value); }

    /// <summary>The probe prompt's completions by checkpoint (the report's comparator).</summary>
    public IReadOnlyList<ProbeRecord> Probes { get => _probes.Value; init => _probes = new(value); }

    /// <summary>Whether the source logged completions at all.</summary>
    public bool HasCompletions => _completions is not null;

    /// <summary>The logged completions, read as they are enumerated.</summary>
    public IEnumerable<CompletionRecord> Completions() => _completions?.Invoke() ?? [];

    /// <summary>The same run with other metrics (an importer's pass@1 named as ours, a scan's rates merged in).</summary>
    public LoadedRun WithMetrics(MetricSeries metrics) => Copy(metrics, Producer);

    /// <summary>The same run, said to come from <paramref name="producer"/>.</summary>
    public LoadedRun WithProducer(string producer) => Copy(Metrics, producer);

    private LoadedRun Copy(MetricSeries metrics, string producer) =>
        new(Name, Source, metrics, _completions) { Producer = producer, _config = _config, _manifest = _manifest, _events = _events, _probes = _probes };

    /// <summary>Reads a run directory of ours; it may be live (another process still writing it).</summary>
    /// <exception cref="HarnessException">It is not a run directory, or one of its files is malformed; the message names the file.</exception>
    public static LoadedRun Open(string directory)
    {
        var run = new RunDirectory(Path.GetFullPath(directory));
        if (!File.Exists(run.Metrics))
            throw new HarnessException($"'{directory}' is not a run directory: it has no metrics.jsonl.");
        var loaded = new LoadedRun(Path.GetFileName(run.Root), run.Root, MetricHistory.Read(run.Metrics).ToSeries(),
            File.Exists(run.Completions) ? () => RunFile.Records<CompletionRecord>(run.Completions) : null);
        loaded._config = new(() => File.Exists(run.Config) ? RunFile.Read<ExperimentConfig>(run.Config, "experiment (config.json)") : null);
        loaded._manifest = new(() => File.Exists(run.Manifest) ? RunFile.Read<ManifestRecord>(run.Manifest, "run manifest (manifest.json)") : null);
        loaded._events = new(() => [.. RunFile.Records<RunEvent>(run.Events)]);
        loaded._probes = new(() => [.. RunFile.Records<ProbeRecord>(run.Probes)]);
        return loaded;
    }
}
