using Harness.Abstractions;

namespace Harness.Plugins.Detectors;

/// <summary>Step aggregates over per-completion findings, each 0 when there are no findings.</summary>
internal static class FindingRates
{
    /// <summary>The share of findings that meet <paramref name="condition"/>.</summary>
    public static double Share(IReadOnlyCollection<CompletionFindings> findings, Func<CompletionFindings, bool> condition) =>
        findings.Count == 0 ? 0 : findings.Count(condition) / (double)findings.Count;

    /// <summary>The share of findings that carry <paramref name="flag"/>.</summary>
    public static double Flagged(IReadOnlyCollection<CompletionFindings> findings, string flag) => Share(findings, f => f.Flags.Contains(flag));

    /// <summary>The mean of one value over the findings.</summary>
    public static double Mean(IReadOnlyCollection<CompletionFindings> findings, string value) =>
        findings.Count == 0 ? 0 : findings.Average(f => f.Values[value]);
}
