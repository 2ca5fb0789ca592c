using System.Text.Json;
using Harness.Core;
using Harness.Regression;

namespace Harness.Sweeps;

/// <summary>
/// A sweep's <c>summary.json</c> as a regression baseline: the same plan run again (or a finished sweep given) must give
/// every variant the same count of each verdict, within a tolerance in runs. A CI check that a reward change does not
/// move the verdicts.
/// </summary>
public static class SweepBaseline
{
    public const string FileName = "summary.json";

    /// <summary>Whether <paramref name="path"/> is a sweep summary, or a folder holding one and no <c>baseline.json</c>.</summary>
    public static bool Is(string path) =>
        Path.GetFileName(path) == FileName && File.Exists(path)
        || Directory.Exists(path) && File.Exists(Path.Combine(path, FileName)) && !File.Exists(Path.Combine(path, Baseline.FileName));

    public static SweepSummary Read(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        try
        {
            return JsonSerializer.Deserialize<SweepSummary>(File.ReadAllText(file), JsonOutput.Options) ?? throw new HarnessException($"{file} is empty.");
        }
        catch (JsonException e)
        {
            throw new HarnessException($"{file} is not a sweep summary: {e.Message}", e);
        }
    }

    /// <summary>The plan that made a summary: its experiment (resolved against the working directory), shared overrides, variants and seeds.</summary>
    public static SweepPlan Plan(SweepSummary summary) =>
        new(Path.GetFullPath(summary.Experiment), summary.Set, [.. summary.Variants.Select(v => new SweepVariant(v.Name, v.Set))], summary.Seeds);

    /// <summary>One check per variant and verdict (either side's), named <c>&lt;variant&gt;/verdicts/&lt;verdict&gt;</c>, at the runs' last step.</summary>
    public static IReadOnlyList<MetricCheck> Compare(SweepSummary baseline, SweepSummary actual, int step, double tolerance) =>
        [.. baseline.Variants.SelectMany(expected =>
        {
            var found = actual.Variants.FirstOrDefault(v => v.Name == expected.Name);
            return expected.Verdicts.Keys.Union(found?.Verdicts.Keys ?? []).Order(StringComparer.Ordinal).Select(verdict => new MetricCheck(
                new BaselineMetric($"{expected.Name}/verdicts/{verdict}", step, expected.Verdicts.GetValueOrDefault(verdict), tolerance),
                step, found is null ? null : found.Verdicts.GetValueOrDefault(verdict)));
        })];
}
