using Harness.Abstractions;
using Harness.Catalog;
using Harness.Runs;
using Harness.Training;

namespace Harness.Sweeps;

/// <summary>
/// Reads a sweep's run directories into its comparison: per variant the verdict counts, the aha step, the end-of-run
/// metrics with bootstrap intervals and the curves with their seed bands; then every variant against the first by a
/// permutation test. The curves are those the detector's verdict rests on plus the engine's pass@1 and lengths.
/// </summary>
public static class SweepAnalysis
{
    /// <summary>A metric's end-of-run value is the mean of what it recorded in the run's last this-many steps (pass@1: the evaluations among them).</summary>
    public const int FinalWindow = 10;

    /// <summary>The verdict that counts as the aha.</summary>
    public const string Aha = "aha";

    private static readonly string[] EngineMeasures = ["pass1_easy", "pass1_hard", "reward_mean", "completion_length_mean", "completion_length_correct_mean", "completion_length_incorrect_mean"];

    /// <summary>Measures also read as growth, <c>growth/&lt;metric&gt;</c>: the end-of-run value minus the start's (the first <see cref="FinalWindow"/> steps).</summary>
    private static readonly string[] Growing = ["completion_length_mean", "completion_length_incorrect_mean"];

    private const string GrowthPrefix = "growth/";

    public static SweepSummary Summarize(string folder, SweepPlan plan, PluginCatalog catalog, string detector, double alpha = 0.05)
    {
        var read = plan.Runs.Select(run => Read(folder, run, catalog, detector)).ToArray();
        var curveMetrics = read.Select(r => r.Report).OfType<SeriesReport>().SelectMany(r => r.Curves.Select(c => c.Metric)).Distinct()
            .Concat(["pass1_hard", "completion_length_mean", "completion_length_incorrect_mean"]).Distinct().ToArray();
        var measures = EngineMeasures.Concat(curveMetrics).Distinct().Concat(Growing.Select(m => GrowthPrefix + m)).ToArray();
        var results = read.Select(r => r.Result with { Final = measures.ToDictionary(m => m, m => r.Run is null ? null : Measure(r.Run.Metrics, m)) }).ToArray();
        var variants = plan.Variants.Select(v =>
        {
            var mine = read.Zip(results).Where(p => p.Second.Variant == v.Name && p.Second.Status == "finished").Select(p => (Run: p.First.Run!, Result: p.Second)).ToArray();
            var verdicts = mine.GroupBy(r => r.Result.Verdict ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
            return new VariantSummary(v.Name, v.Set, mine.Length, verdicts,
                SeedStatistics.Bootstrap([.. mine.Select(r => r.Result.Verdict == Aha ? 1.0 : 0.0)]),
                SeedStatistics.Bootstrap([.. mine.Where(r => r.Result.Verdict == Aha && r.Result.AhaStep is not null).Select(r => r.Result.AhaStep!.Value)]),
                measures.ToDictionary(m => m, m => SeedStatistics.Bootstrap([.. mine.Select(r => r.Result.Final[m]).OfType<double>()])),
                curveMetrics.ToDictionary(m => m, m => Band([.. mine.Select(r => r.Run.Metrics)], m)));
        }).ToArray();
        var comparisons = variants.Skip(1).SelectMany(v => Compare(variants[0].Name, v.Name, results, measures, alpha)).ToArray();
        // The experiment relative to the working directory, as a regression baseline names it, so a summary committed
        // with the repository runs again from its root.
        return new SweepSummary(Path.GetRelativePath(Directory.GetCurrentDirectory(), plan.Experiment), plan.Set, plan.Seeds, detector, alpha, variants, comparisons, results);
    }

    private sealed record ReadRun(SweepRunResult Result, LoadedRun? Run, SeriesReport? Report);

    private static ReadRun Read(string folder, SweepRun run, PluginCatalog catalog, string detector)
    {
        var dir = Path.Combine(folder, run.Directory);
        var state = SweepRunState.Of(dir);
        if (state != SweepRunStatus.Finished)
            return new ReadRun(new SweepRunResult(run.Variant.Name, run.Seed, run.Directory, state == SweepRunStatus.Absent ? "missing" : "failed", null, null, new Dictionary<string, double?>()), null, null);
        var loaded = LoadedRun.Open(dir);
        var report = SeriesWatch.Judge(catalog, loaded, detector, $"on {dir}");
        return new ReadRun(new SweepRunResult(run.Variant.Name, run.Seed, run.Directory, "finished", report.Verdict, report.Window?.At, new Dictionary<string, double?>()), loaded, report);
    }

    private static double? Measure(MetricSeries series, string measure) =>
        measure.StartsWith(GrowthPrefix, StringComparison.Ordinal)
            ? Mean(series, measure[GrowthPrefix.Length..], fromEnd: true) - Mean(series, measure[GrowthPrefix.Length..], fromEnd: false)
            : Mean(series, measure, fromEnd: true);

    /// <summary>The mean of what a metric recorded in the run's last (or first) <see cref="FinalWindow"/> steps; null when nothing.</summary>
    private static double? Mean(MetricSeries series, string metric, bool fromEnd)
    {
        if (!series.Metrics.TryGetValue(metric, out var values) || series.Steps.Count == 0) return null;
        var (first, last) = (series.Steps[0], series.Steps[^1]);
        var picked = series.Steps.Select((step, i) => (step, value: values[i]))
            .Where(p => p.value is not null && (fromEnd ? p.step > last - FinalWindow : p.step < first + FinalWindow)).Select(p => p.value!.Value).ToArray();
        return picked.Length == 0 ? null : picked.Average();
    }

    private static IReadOnlyList<CurvePoint> Band(IReadOnlyList<MetricSeries> runs, string metric)
    {
        var byStep = new SortedDictionary<int, List<double>>();
        foreach (var series in runs)
            if (series.Metrics.TryGetValue(metric, out var values))
                for (var i = 0; i < series.Steps.Count; i++)
                    if (values[i] is { } v)
                    {
                        if (!byStep.TryGetValue(series.Steps[i], out var list)) byStep[series.Steps[i]] = list = [];
                        list.Add(v);
                    }
        return [.. byStep.Select(p => new CurvePoint(p.Key, p.Value.Average(), p.Value.Min(), p.Value.Max(), p.Value.Count))];
    }

    private static IEnumerable<VariantComparison> Compare(string baseline, string variant, SweepRunResult[] results, string[] measures, double alpha)
    {
        SweepRunResult[] Of(string name) => [.. results.Where(r => r.Variant == name && r.Status == "finished")];
        var (a, b) = (Of(baseline), Of(variant));
        VariantComparison One(string measure, Func<SweepRunResult, double?> value)
        {
            double[] x = [.. a.Select(value).OfType<double>()], y = [.. b.Select(value).OfType<double>()];
            var p = SeedStatistics.PermutationP(y, x);
            return new VariantComparison(measure, baseline, variant, x.Length > 0 && y.Length > 0 ? y.Average() - x.Average() : null, p, p < alpha);
        }
        yield return One("aha_rate", r => r.Verdict == Aha ? 1 : 0);
        yield return One("aha_step", r => r.Verdict == Aha ? r.AhaStep : null);
        foreach (var m in measures) yield return One(m, r => r.Final.GetValueOrDefault(m));
    }
}
