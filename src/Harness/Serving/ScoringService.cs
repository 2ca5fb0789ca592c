using System.Diagnostics;
using Harness.Runs;

namespace Harness.Serving;

/// <summary>
/// Scores a request's samples on the next free lane (the experiment's rewards, then its detectors, exactly as a scan
/// scores a chunk) and counts them in the live run.
/// </summary>
public sealed class ScoringService(LanePool lanes, ServiceRun run, ServiceMetrics metrics)
{
    private static readonly IReadOnlyDictionary<string, double> NoTerms = new Dictionary<string, double>();

    public ServiceRun Run => run;

    /// <exception cref="Catalog.PluginCallException">A plugin failed; the request fails, the service goes on.</exception>
    public async Task<ScoredBatch> Score(IReadOnlyList<ScoringSample> samples, int? step)
    {
        // An engine that spreads queries over several services sends the others empty lists.
        if (samples.Count == 0) return new ScoredBatch([], new Dictionary<string, double>(), step ?? 0);
        var records = samples.Select(s => new CompletionRecord(step ?? 0, 0, s.Prompt, s.Completion, s.Completion.Length, false, 0, NoTerms, null, []) { Gold = s.Gold }).ToArray();
        var clock = Stopwatch.StartNew();
        var (scored, aggregates) = await lanes.Run(lane => lane.Score(records));
        metrics.PluginTime.Observe(clock.Elapsed.TotalSeconds);
        metrics.Completions.Inc(samples.Count);
        var (counted, late) = run.Record(step, scored, aggregates);
        if (late) metrics.Late.Inc(samples.Count);
        return new ScoredBatch([.. scored.Select(r => new ScoredSample(r.Reward, r.Terms, r.Flags, r.Answer))], aggregates, counted);
    }
}
