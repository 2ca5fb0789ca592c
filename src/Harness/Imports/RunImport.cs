using System.Text.RegularExpressions;
using Harness.Abstractions;
using Harness.Core;
using Harness.Runs;

namespace Harness.Imports;

/// <summary>
/// Reads any run this harness knows into the read model (<see cref="LoadedRun"/>): ours, TRL's, verl's, or a plain
/// completions dump, told apart by content (or by <see cref="ImportOptions.Format"/>). Another trainer's metrics
/// are named as ours (<see cref="MetricNames"/>) and its pass@1 series becomes <c>pass1_hard</c>.
/// </summary>
public static partial class RunImport
{
    /// <summary>Our name for pass@1 on the hard held-out set, which the aha detector reads.</summary>
    public const string PassAtOne = "pass1_hard";

    private const string Tried = "a harness run directory (metrics.jsonl), a TRL trainer_state.json (log_history) or its output folder, " +
        "a verl file-logger JSON Lines ({\"step\": N, \"data\": {...}}), a verl console log (step:N - key:value), verl rollout dumps " +
        "(<step>.jsonl with input and output) or a folder of these, OpenRLHF's TensorBoard events (events.out.tfevents.*) or their folder, " +
        "and completions JSON Lines (prompt, completion)";

    /// <exception cref="HarnessException">The path is none of the formats (naming those tried), or a file is malformed (named).</exception>
    public static LoadedRun Open(string path, ImportOptions? options = null)
    {
        options ??= new ImportOptions();
        if (!File.Exists(path) && !Directory.Exists(path)) throw new HarnessException($"'{path}' does not exist.");
        var format = options.Format ?? Detect(path)
            ?? throw new HarnessException($"'{path}' is none of the formats this harness reads; tried {Tried}. Name one with --format if it is one of them.");
        var run = format switch
        {
            RunFormat.Harness => LoadedRun.Open(path),
            RunFormat.Trl => Trl(path),
            RunFormat.Verl => Verl(path),
            RunFormat.Openrlhf => OpenRlhf(path),
            RunFormat.Completions => Completions(path),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        return WithPassAtOne(format == RunFormat.Harness ? run : run.WithProducer(VariantName.Of(format)), format, options.PassMetric);
    }

    /// <summary>The format a path's content shows; null for none.</summary>
    public static RunFormat? Detect(string path)
    {
        if (Directory.Exists(path))
        {
            // Ours: metrics.jsonl of flat step records (a verl file log of that name nests its values under "data").
            var metrics = Path.Combine(path, "metrics.jsonl");
            if (File.Exists(metrics) && !VerlMetricsLog.LooksLikeFileLog(metrics)) return RunFormat.Harness;
            if (TrlTrainerState.Find(path) is not null || TrlCompletions.Files(path).Count > 0) return RunFormat.Trl;
            if (VerlFiles(path) is { } verl && (verl.Metrics is not null || verl.Rollouts.Count > 0)) return RunFormat.Verl;
            return OpenRlhfEvents.Looks(path) ? RunFormat.Openrlhf : null;
        }
        if (TrlTrainerState.Looks(path)) return RunFormat.Trl;
        if (TensorBoardEvents.Looks(path)) return RunFormat.Openrlhf;
        var shape = CompletionDump.ShapeOf(path);
        if (shape == CompletionDump.VerlRollout || VerlMetricsLog.LooksLikeFileLog(path) || VerlMetricsLog.LooksLikeConsoleLog(path)) return RunFormat.Verl;
        return shape == CompletionDump.Plain ? RunFormat.Completions : null;
    }

    private static LoadedRun Trl(string path)
    {
        var state = TrlTrainerState.Find(path);
        // The completions folder sits in the output folder: the path itself, or above a checkpoint or its state file.
        var folder = Directory.Exists(path) ? Path.GetFullPath(path) : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var completions = new[] { folder, Path.GetDirectoryName(folder) }.OfType<string>().Select(TrlCompletions.Files).FirstOrDefault(f => f.Count > 0) ?? [];
        if (state is null && completions.Count == 0)
            throw new HarnessException($"'{path}' holds no {TrlTrainerState.FileName} (nor a checkpoint-N/ folder with one) and no completions/ folder.");
        var series = state is null ? new MetricSeries([], new Dictionary<string, IReadOnlyList<double?>>()) : TrlTrainerState.Read(state).ToSeries();
        return new LoadedRun(Name(path), Path.GetFullPath(path), series, completions.Count > 0 ? () => TrlCompletions.Read(completions) : null);
    }

    private static LoadedRun Verl(string path)
    {
        var (metrics, rollouts) = Directory.Exists(path) ? VerlFiles(path)!.Value
            : CompletionDump.ShapeOf(path) == CompletionDump.VerlRollout ? ((string?)null, (IReadOnlyList<string>)[path]) : (path, []);
        var series = metrics is null ? new MetricSeries([], new Dictionary<string, IReadOnlyList<double?>>())
            : (VerlMetricsLog.LooksLikeFileLog(metrics) ? VerlMetricsLog.ReadFileLog(metrics) : VerlMetricsLog.ReadConsoleLog(metrics)).ToSeries();
        return new LoadedRun(Name(path), Path.GetFullPath(path), series,
            rollouts.Count > 0 ? () => CompletionDump.Read(rollouts, CompletionDump.VerlRollout) : null);
    }

    private static LoadedRun OpenRlhf(string path)
    {
        if (TensorBoardEvents.Files(path).Count == 0) throw new HarnessException($"'{path}' holds no TensorBoard event files (events.out.tfevents.*).");
        var (metrics, samples) = OpenRlhfEvents.Read(path);
        return new LoadedRun(Name(path), Path.GetFullPath(path), metrics, samples.Count > 0 ? () => samples : null);
    }

    private static LoadedRun Completions(string path) =>
        new(Name(path), Path.GetFullPath(path), new MetricSeries([], new Dictionary<string, IReadOnlyList<double?>>()),
            () => CompletionDump.Read([path], CompletionDump.Plain));

    /// <summary>A verl folder's metrics log (its file-logger JSON Lines, else its console log) and its rollout dumps (in it or a folder below).</summary>
    private static (string? Metrics, IReadOnlyList<string> Rollouts)? VerlFiles(string folder)
    {
        // Rollout dumps sit in the folder or in one below it (trainer.rollout_data_dir beside the logs); a folder's first
        // <step>.jsonl tells whether its files are dumps.
        var rollouts = new[] { folder }.Concat(Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
            .Select(CompletionDump.RolloutFiles)
            .FirstOrDefault(files => files.Count > 0 && CompletionDump.ShapeOf(files[0]) == CompletionDump.VerlRollout) ?? [];
        var candidates = Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)
            .Where(f => !rollouts.Contains(f) && Path.GetExtension(f) is ".jsonl" or ".json" or ".log" or ".txt" or ".out").ToArray();
        // The file logger keeps every value exactly; a console log is the fallback.
        var metrics = candidates.FirstOrDefault(VerlMetricsLog.LooksLikeFileLog) ?? candidates.FirstOrDefault(VerlMetricsLog.LooksLikeConsoleLog);
        return (metrics, rollouts);
    }

    /// <summary>
    /// Copies the pass@1 series to <c>pass1_hard</c>: the one named, else the accuracy on the run's one held-out set
    /// (verl: <c>val-core/&lt;data_source&gt;/acc/mean@N</c>, mean accuracy over N samples: pass@1; OpenRLHF:
    /// <c>eval_&lt;datasource&gt;_pass1</c>). Several held-out sets need a name.
    /// </summary>
    private static LoadedRun WithPassAtOne(LoadedRun run, RunFormat format, string? named)
    {
        var metrics = run.Metrics.Metrics;
        string? source;
        if (named is not null)
        {
            var trainer = format switch { RunFormat.Trl => MetricNames.Trl, RunFormat.Openrlhf => MetricNames.OpenRlhf, _ => MetricNames.Verl };
            source = metrics.ContainsKey(named) ? named : metrics.ContainsKey(MetricNames.Ours(trainer, named)) ? MetricNames.Ours(trainer, named)
                : throw new HarnessException($"--pass-metric '{named}' is not a series of {run.Source}; its series are: {string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal))}.");
        }
        else
        {
            if (metrics.ContainsKey(PassAtOne)) return run;
            var accuracies = metrics.Keys.Select(k => HeldOutAccuracy().Match(k)).Where(m => m.Success)
                .OrderBy(m => int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var sets = accuracies.Select(m => m.Groups["set"].Value).Distinct().ToArray();
            if (sets.Length > 1)
                throw new HarnessException($"{run.Source} has pass@1 on several held-out sets ({string.Join(", ", sets)}); name the hard one with --pass-metric, e.g. --pass-metric {accuracies[0].Value}.");
            source = accuracies.FirstOrDefault()?.Value;
            if (source is null) return run;
        }
        if (source == PassAtOne) return run;
        var series = new Dictionary<string, IReadOnlyList<double?>>(metrics) { [PassAtOne] = metrics[source] };
        return run.WithMetrics(new MetricSeries(run.Metrics.Steps, series));
    }

    private static string Name(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));

    // verl: val-core/<data_source>/acc/mean@N; OpenRLHF: eval_<datasource>_pass1 (eval/ dropped).
    [GeneratedRegex(@"^val-core/(?<set>.+)/acc/mean@(?<n>\d+)$|^eval_(?<set>.+)_pass(?<n>1)$")]
    private static partial Regex HeldOutAccuracy();
}
