using Harness.Abstractions;
using Harness.Catalog;
using Harness.Experiments;
using Harness.Runs;
using Harness.Tasks;
using Harness.Training;

namespace Harness.Sessions;

/// <summary>What a scan runs: the detectors, and the rewards when the completions carry a gold answer.</summary>
/// <param name="ChunkSize">Completions handed to a detector at once; a step with more is read in chunks, so memory stays flat.</param>
public sealed record ScanPlugins(IReadOnlyList<PluginHandle<IDetector>> Detectors, IReadOnlyList<WeightedReward> Rewards, int ChunkSize = 4096)
{
    /// <summary>The rewards a scan runs unless told otherwise: R1-Zero's two.</summary>
    public const string DefaultRewards = "accuracy,format";

    /// <summary>The named detectors (every detector the catalog has, when none is named) and rewards.</summary>
    public static ScanPlugins Open(PluginCatalog catalog, IReadOnlyList<string>? detectors, IReadOnlyList<string> rewards)
    {
        const double limit = RunConfig.DefaultPluginTimeLimitSeconds;
        var detectorNames = detectors ?? [.. catalog.Plugins.Where(p => p.Kind == PluginKind.Detector).Select(p => p.Name)];
        return new ScanPlugins(
            [.. detectorNames.Select(n => ExperimentPlugins.Open<IDetector>(catalog, PluginKind.Detector, new PluginReference { Name = n }, limit))],
            [.. rewards.Select(n => new WeightedReward(ExperimentPlugins.Open<IReward>(catalog, PluginKind.Reward, new PluginReference { Name = n }, limit), 1))]);
    }
}

/// <summary>
/// Runs detectors (and rewards, where a completion has its gold answer) over another trainer's completions, streamed
/// step by step in chunks, and writes a run directory of ours: the trainer's metrics merged with the detectors' rates
/// per step (its own values win a shared name), and every completion with its flags. <c>detect</c>, <c>doctor</c> and
/// <c>report</c> then read it as any run. A step read in several chunks gets each aggregate as the mean over its
/// chunks weighted by their sizes (exact for the rates, which are shares of all completions).
/// </summary>
public static class CompletionScan
{
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
        using (var completions = new StreamWriter(run.Completions))
            foreach (var record in Scanned(source, plugins, rates, cancel))
            {
                completions.Write(RunFile.Line(record) + "\n");
                count++;
            }
        var tensorboard = new TensorBoardLog(run.Root);
        using (var metrics = new StreamWriter(run.Metrics))
            foreach (var line in Merge(source.Metrics, rates))
            {
                metrics.Write(RunFile.Line(line) + "\n");
                tensorboard.Write(line);
            }
        observer.Note($"Scanned {count} completions over {rates.Count} steps.");
        return new Result(run, rates.Count, count);
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
        foreach (var chunk in Chunks(source.Completions(), plugins.ChunkSize))
        {
            cancel.ThrowIfCancellationRequested();
            var (records, aggregates) = Scan(chunk, plugins);
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

    private static (IEnumerable<CompletionRecord> Records, Dictionary<string, double> Aggregates) Scan(List<CompletionRecord> chunk, ScanPlugins plugins)
    {
        var step = chunk[0].Step;
        var tasks = chunk.Select(c => new TaskItem(c.Prompt, c.Gold ?? "", "",
            c.Gold is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["gold"] = c.Gold })).ToArray();
        // Each completion is its own group: a dump need not keep a prompt's completions together.
        var rewards = plugins.Rewards.Count > 0 && chunk.All(c => c.Gold is not null)
            ? RewardScoring.Score(plugins.Rewards, tasks, [.. chunk.Select(c => (IReadOnlyList<string>)[c.Completion])])
            : null;
        var terms = chunk.Select((c, i) => rewards is null ? c.Terms : rewards.Terms.ToDictionary(t => t.Key, t => t.Value[i][0])).ToArray();
        var scored = chunk.Select((c, i) => new ScoredCompletion(i, c.Prompt, tasks[i].Fields, c.Completion, c.TokenCount, c.Truncated,
            rewards?.Rewards[i][0] ?? c.Reward, terms[i])).ToArray();
        var input = new DetectorInput(step, scored) { Rescore = rewards is null ? null : RewardScoring.Rescorer(plugins.Rewards, tasks, scored) };
        var aggregates = new Dictionary<string, double>
        {
            ["completion_length_mean"] = chunk.Average(c => c.TokenCount),
            ["reward_mean"] = scored.Average(c => c.Reward),
        };
        foreach (var term in terms.SelectMany(t => t.Keys).Distinct())
            aggregates[$"reward/{term}_mean"] = terms.Average(t => t.GetValueOrDefault(term));
        var (detected, flags) = Detection.RunAll(plugins.Detectors, input, $"at step {step}");
        foreach (var (name, value) in detected) aggregates[name] = value;
        return (chunk.Select((c, i) => c with { Reward = scored[i].Reward, Terms = terms[i], Flags = flags[i] }), aggregates);
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
