using System.Diagnostics;
using System.Globalization;
using Harness.Abstractions;
using Harness.Answers;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Runs;
using Harness.Tasks;
using Harness.Training;

namespace Harness.Sessions;

/// <summary>What a scan runs: a lane of plugin instances per thread, each taking whole chunks.</summary>
/// <param name="ChunkSize">Completions handed to a detector at once; a step with more is read in chunks, so memory stays flat.</param>
public sealed record ScanPlugins(IReadOnlyList<ScanLane> Lanes, int ChunkSize = 4096)
{
    /// <summary>The rewards a scan runs unless told otherwise: R1-Zero's two.</summary>
    public const string DefaultRewards = "accuracy,format";

    /// <summary>The named detectors (every detector the catalog has, when none is named) and rewards, once per lane.</summary>
    /// <param name="reader">How completions are read: the answer format and think layout.</param>
    /// <param name="lanes">Threads, each with its own plugin instances (default: one per core).</param>
    public static ScanPlugins Open(PluginCatalog catalog, IReadOnlyList<string>? detectors, IReadOnlyList<string> rewards, CompletionReader reader, int? lanes = null)
    {
        const double limit = RunConfig.DefaultPluginTimeLimitSeconds;
        var detectorNames = detectors ?? [.. catalog.Plugins.Where(p => p.Kind == PluginKind.Detector).Select(p => p.Name)];
        ScanLane Lane() => new(
            [.. detectorNames.Select(n => ExperimentPlugins.Open<IDetector>(catalog, PluginKind.Detector, new PluginReference { Name = n }, limit))],
            new RewardScorer([.. rewards.Select(n => new WeightedReward(ExperimentPlugins.Open<IReward>(catalog, PluginKind.Reward, new PluginReference { Name = n }, limit), 1))], reader));
        return new ScanPlugins([.. Enumerable.Range(0, lanes ?? Environment.ProcessorCount).Select(_ => Lane())]);
    }
}

/// <summary>
/// Runs detectors (and rewards, where a completion has its gold answer) over another trainer's completions, streamed
/// step by step in chunks, and writes a run directory of ours: the trainer's metrics merged with the detectors' rates
/// per step (its own values win a shared name), and every completion with its flags. <c>detect</c>, <c>doctor</c> and
/// <c>report</c> then read it as any run. Chunks are scanned on every lane at once and their results taken in order,
/// so the output does not depend on the number of lanes (for plugins that keep no state between calls). A step read
/// in several chunks gets each aggregate as the mean over its chunks weighted by their sizes (exact for the rates,
/// which are shares of all completions).
/// </summary>
public static class CompletionScan
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    /// <summary>The summary of a scan.</summary>
    public sealed record Result(RunDirectory Run, int Steps, long Completions);

    /// <summary>
    /// Scans into a new run directory: merged metrics.jsonl and every completion with its flags. A stop request ends the
    /// reading; the chunks in flight are finished and written, with the metrics of the steps scanned and an
    /// <c>interrupted</c> event, and then the stop is thrown.
    /// </summary>
    public static Result Write(LoadedRun source, ScanPlugins plugins, string outDir, IRunObserver observer, StopRequest stop)
    {
        var run = RunDirectory.CreateNew(outDir);
        using var writer = RunLock.Acquire(run);
        observer.Note($"Scanning {source.Source} into {run.Root}.");
        var rates = new SortedDictionary<int, StepRates>();
        long count = 0;
        var clock = Stopwatch.StartNew();
        var noted = TimeSpan.Zero;
        // A stop request ends the reading; chunks already handed to lanes still come.
        var cut = false;
        var chunks = Chunks(source.Completions(), plugins.ChunkSize).TakeWhile(_ => !(cut = stop.IsRequested));
        using (var completions = new FileStream(run.Completions, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16))
            foreach (var record in Scanned(chunks, plugins, rates))
            {
                completions.Write(RunFile.Utf8Line(record));
                completions.WriteByte((byte)'\n');
                count++;
                if (clock.Elapsed - noted < ProgressEvery) continue;
                noted = clock.Elapsed;
                observer.Note(string.Create(CultureInfo.InvariantCulture, $"{count:N0} completions scanned (step {record.Step}), {count / noted.TotalSeconds:N0} a second"));
            }
        var tensorboard = new TensorBoardLog(run.Root);
        using (var metrics = new StreamWriter(run.Metrics))
            foreach (var line in Merge(source.Metrics, rates))
            {
                metrics.Write(RunFile.Line(line) + "\n");
                tensorboard.Write(line);
            }
        observer.Note(string.Create(CultureInfo.InvariantCulture,
            $"Scanned {count} completions over {rates.Count} steps in {clock.Elapsed.TotalSeconds:F1} s ({count / clock.Elapsed.TotalSeconds:N0} a second, {plugins.Lanes.Count} lanes; peak memory {PeakMemoryMib()} MiB)."));
        if (!cut) return new Result(run, rates.Count, count);
        var last = rates.Count > 0 ? rates.Keys.Last() : 0;
        File.AppendAllText(run.Events, RunFile.Line(RunEvent.Interruption(last, stop, last)) + "\n");
        throw stop.Stopped($"{count} completions through step {last} (the last perhaps in part) are scanned into {run.Root} with their metrics; scan again for the rest.");
    }

    private static long PeakMemoryMib()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 >> 20;
    }

    /// <summary>The run with the scan's per-step rates merged into its metrics (nothing written): how detect, doctor and report read another trainer's run.</summary>
    public static LoadedRun WithRates(LoadedRun source, ScanPlugins plugins)
    {
        var rates = new SortedDictionary<int, StepRates>();
        foreach (var _ in Scanned(Chunks(source.Completions(), plugins.ChunkSize), plugins, rates)) { }
        return source.WithMetrics(MetricHistory.Of(Merge(source.Metrics, rates)).ToSeries());
    }

    /// <summary>
    /// Every completion of <paramref name="chunks"/>, flagged and scored, as the scan goes; each chunk's aggregates are
    /// added to <paramref name="rates"/>.
    /// </summary>
    private static IEnumerable<CompletionRecord> Scanned(IEnumerable<List<CompletionRecord>> chunks, ScanPlugins plugins, SortedDictionary<int, StepRates> rates)
    {
        var lanes = plugins.Lanes.Select(lane => (Func<List<CompletionRecord>, (CompletionRecord[], Dictionary<string, double>)>)(chunk => lane.Score(chunk))).ToArray();
        foreach (var (chunk, (records, aggregates)) in OrderedLanes.Map(chunks, lanes))
        {
            if (!rates.TryGetValue(chunk[0].Step, out var step)) rates[chunk[0].Step] = step = new StepRates();
            step.Add(aggregates, chunk.Count);
            foreach (var record in records) yield return record;
        }
    }

    /// <summary>Consecutive completions of one step, at most <paramref name="size"/> at a time.</summary>
    private static IEnumerable<List<CompletionRecord>> Chunks(IEnumerable<CompletionRecord> completions, int size)
    {
        var chunk = new List<CompletionRecord>();
        foreach (var completion in completions)
        {
            if (chunk.Count > 0 && (chunk.Count == size || chunk[0].Step != completion.Step))
            {
                yield return chunk;
                chunk = [];
            }
            chunk.Add(completion);
        }
        if (chunk.Count > 0) yield return chunk;
    }

    /// <summary>The trainer's metrics with the scan's added, a line per step of either.</summary>
    private static IEnumerable<StepMetrics> Merge(MetricSeries trainer, SortedDictionary<int, StepRates> rates)
    {
        var steps = trainer.Steps.Union(rates.Keys).Order();
        var index = trainer.Steps.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        foreach (var step in steps)
        {
            var line = new StepMetrics(step);
            if (index.TryGetValue(step, out var i))
                foreach (var (name, column) in trainer.Metrics) line.Set(name, column[i]);
            if (rates.TryGetValue(step, out var scanned))
                foreach (var (name, value) in scanned.Means())
                    if (!line.Contains(name)) line.Set(name, value);
            yield return line;
        }
    }
}
