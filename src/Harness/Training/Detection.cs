using Harness.Abstractions;
using Harness.Catalog;

namespace Harness.Training;

/// <summary>Runs a detector on one input and checks its report: one findings entry per completion, in order.</summary>
public static class Detection
{
    /// <param name="when">The moment, for errors: e.g. <c>at step 3</c>.</param>
    public static DetectorReport Run(PluginHandle<IDetector> detector, DetectorInput input, string when)
    {
        var call = $"Detect {when}";
        var report = detector.Call(call, d => d.Detect(input));
        if (report.Completions is null || report.Aggregates is null)
            throw detector.Fault(call, "returned a report without completions or aggregates");
        if (report.Completions.Any(c => c?.Flags is null || c.Values is null || c.Spans is null))
            throw detector.Fault(call, "returned findings without flags, values or spans for a completion");
        if (report.Completions.Count != input.Completions.Count)
            throw detector.Fault(call, $"returned findings for {report.Completions.Count} completions, not {input.Completions.Count}");
        return report;
    }

    /// <summary>Every detector on one input: their aggregates (a later detector's value wins a shared name) and each completion's flags, each once.</summary>
    /// <param name="when">The moment, for errors: e.g. <c>at step 3</c>.</param>
    public static (Dictionary<string, double> Aggregates, IReadOnlyList<string>[] Flags) RunAll(IReadOnlyList<PluginHandle<IDetector>> detectors, DetectorInput input, string when)
    {
        var aggregates = new Dictionary<string, double>();
        var flags = input.Completions.Select(_ => new List<string>()).ToArray();
        foreach (var detector in detectors)
        {
            var report = Run(detector, input, when);
            foreach (var (key, value) in report.Aggregates) aggregates[key] = value;
            for (var i = 0; i < flags.Length; i++) flags[i].AddRange(report.Completions[i].Flags);
        }
        return (aggregates, [.. flags.Select(f => (IReadOnlyList<string>)f.Distinct().ToArray())]);
    }
}
