using System.Diagnostics;
using System.Globalization;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Runs;
using Harness.Tasks;
using Harness.Training;

namespace Harness.Sessions;

/// <summary>One lane of a scan: its own instances of the detectors, and of the rewards run where completions carry a gold answer.</summary>
public sealed record ScanLane(IReadOnlyList<PluginHandle<IDetector>> Detectors, IReadOnlyList<WeightedReward> Rewards);

/// <summary>What a scan runs: a lane of plugin instances per thread, each taking whole chunks.</summary>
/// <param name="ChunkSize">Completions handed to a detector at once; a step with more is read in chunks, so memory stays flat.</param>
public sealed record ScanPlugins(IReadOnlyList<ScanLane> Lanes, int ChunkSize = 4096)
{
    /// <summary>The rewards a scan runs unless told otherwise: R1-Zero's two.</summary>
    public const string DefaultRewards = "accuracy,format";

    /// <summary>The named detectors (every detector the catalog has, when none is named) and rewards, once per lane.</summary>
    /// <param name="lanes">Threads, each with its own plugin instances (default: one per core).</param>
    public static ScanPlugins Open(PluginCatalog catalog, IReadOnlyList<string>? detectors, IReadOnlyList<string> rewards, int? lanes = null)
    {
        const double limit = RunConfig.DefaultPluginTimeLimitSeconds;
        var detectorNames = detectors ?? [.. catalog.Plugins.Where(p => p.Kind == PluginKind.Detector).Select(p => p.Name)];
        ScanLane Lane() => new(
            [.. detectorNames.Select(n => ExperimentPlugins.Open<IDetector>(catalog, PluginKind.Detector, new PluginReference { Name = n }, limit))],
            [.. rewards.Select(n => new WeightedReward(ExperimentPlugins.Open<IReward>(catalog, PluginKind.Reward, new PluginReference { Name = n }, limit), 1))]);
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

    /// <summary>Scans into a new run directory: merged metrics.jsonl and every completion with its flags.</summary>
    public static Result Write(LoadedRun source, ScanPlugins plugins, string outDir, IRunObserver observer, CancellationToken cancel)
    {
        var run = RunDirectory.CreateNew(outDir);
        using var writer = RunLock.Acquire(run);
        observer.Note($"Scanning {source.Source} into {run.Root}.");
        var rates = new SortedDictionary<int, StepRates>();
        long count = 0;
        var clock = Stopwatch.StartNew();
        var noted = TimeSpan.Zero;
        using (var completions = new FileStream(run.Completions, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16))
            foreach (var record in Scanned(source, plugins, rates, cancel))
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
        return new Result(run, rates.Count, count);
    }

    private static long PeakMemoryMib()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 >> 20;
    }

    /// <summary>The run with the scan's per-step rates merged into its metrics (nothing written): how detect, doctor and report read another trainer's run.</summary>
    public static LoadedRun WithRates(LoadedRun source, ScanPlugins plugins, CancellationToken cancel)
    {
        var rates = new SortedDictionary<int, StepRates>();
        foreach (var _ in Scanned(source, plugins, rates, cancel)) { }
        return source.WithMetrics(MetricHistory.Of(Merge(source.Metrics, rates)).ToSeries());
    }

    /// <summary>Every completion, flagged and scored, as the scan goes; each chunk's aggregates are added to <paramref name="rates"/>.</summary>
    private static IEnumerable<CompletionRecord> Scanned(LoadedRun source, ScanPlugins plugins, SortedDictionary<int, StepRates> rates, CancellationToken cancel)
    {
        var lanes = plugins.Lanes.Select(lane => (Func<List<CompletionRecord>, (CompletionRecord[], Dictionary<string, double>)>)(chunk => Scan(chunk, lane))).ToArray();
        foreach (var (chunk, (records, aggregates)) in OrderedLanes.Map(Chunks(source.Completions(), plugins.ChunkSize), lanes, cancel))
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

    private static (CompletionRecord[] Records, Dictionary<string, double> Aggregates) Scan(List<CompletionRecord> chunk, ScanLane plugins)
    {
        var step = chunk[0].Step;
        var groups = PromptGroups(chunk);
        var tasks = groups.Select(g => new TaskItem(chunk[g.Start].Prompt, chunk[g.Start].Gold ?? "", "",
            chunk[g.Start].Gold is { } gold ? new Dictionary<string, string> { ["gold"] = gold } : new Dictionary<string, string>())).ToArray();
        var rewards = plugins.Rewards.Count > 0 && chunk.All(c => c.Gold is not null)
            ? RewardScoring.Score(plugins.Rewards, tasks, [.. groups.Select(g => (IReadOnlyList<string>)[.. chunk.Skip(g.Start).Take(g.Count).Select(c => c.Completion)])])
            : null;
        var scored = groups.SelectMany((g, k) => Enumerable.Range(0, g.Count).Select(j =>
        {
            var c = chunk[g.Start + j];
            return new ScoredCompletion(k, c.Prompt, tasks[k].Fields, c.Completion, c.TokenCount, c.Truncated,
                rewards?.Rewards[k][j] ?? c.Reward, rewards is null ? c.Terms : rewards.Terms.ToDictionary(t => t.Key, t => t.Value[k][j]));
        })).ToArray();
        var input = new DetectorInput(step, scored) { Rescore = rewards is null ? null : RewardScoring.Rescorer(plugins.Rewards, tasks, scored) };
        var aggregates = new Dictionary<string, double>
        {
            ["completion_length_mean"] = chunk.Average(c => c.TokenCount),
            ["reward_mean"] = scored.Average(c => c.Reward),
        };
        foreach (var term in scored.SelectMany(c => c.Terms.Keys).Distinct())
            aggregates[$"reward/{term}_mean"] = scored.Average(c => c.Terms.GetValueOrDefault(term));
        var (detected, flags) = Detection.RunAll(plugins.Detectors, input, $"at step {step}");
        foreach (var (name, value) in detected) aggregates[name] = value;
        return ([.. chunk.Select((c, i) => c with { Reward = scored[i].Reward, Terms = scored[i].Terms, Flags = flags[i] })], aggregates);
    }

    /// <summary>
    /// Runs of consecutive completions with one prompt and gold answer: the groups the trainer sampled (its dumps keep
    /// a prompt's completions together), scored by the rewards as one group. Where a dump mixes them, groups are single.
    /// </summary>
    private static List<(int Start, int Count)> PromptGroups(List<CompletionRecord> chunk)
    {
        var groups = new List<(int Start, int Count)>();
        for (var i = 0; i < chunk.Count; i++)
            if (groups.Count > 0 && chunk[i].Prompt == chunk[groups[^1].Start].Prompt && chunk[i].Gold == chunk[groups[^1].Start].Gold)
                groups[^1] = (groups[^1].Start, groups[^1].Count + 1);
            else
                groups.Add((i, 1));
        return groups;
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

    /// <summary>A step's aggregates over its chunks, each weighted by its chunk's size.</summary>
    private sealed class StepRates
    {
        private readonly Dictionary<string, (double Sum, long Weight)> _sums = new(StringComparer.Ordinal);

        public void Add(IReadOnlyDictionary<string, double> aggregates, int size)
        {
            foreach (var (name, value) in aggregates)
            {
                var (sum, weight) = _sums.GetValueOrDefault(name);
                _sums[name] = (sum + value * size, weight + size);
            }
        }

        public IEnumerable<KeyValuePair<string, double?>> Means() =>
            _sums.Select(s => KeyValuePair.Create(s.Key, (double?)(s.Value.Sum / s.Value.Weight)));
    }
}
