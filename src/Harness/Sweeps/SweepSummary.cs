namespace Harness.Sweeps;

/// <summary>One run of a sweep as the comparison read it.</summary>
/// <param name="Status"><c>finished</c>, <c>failed</c> (its process ended in error; see its log) or <c>missing</c> (not run yet).</param>
/// <param name="Verdict">The series detector's verdict on the finished run.</param>
/// <param name="AhaStep">The step its verdict points at, when there is one.</param>
/// <param name="Final">Each compared metric at the end of the run (<see cref="SweepAnalysis.FinalWindow"/>).</param>
public sealed record SweepRunResult(string Variant, long Seed, string Directory, string Status, string? Verdict, double? AhaStep, IReadOnlyDictionary<string, double?> Final);

/// <summary>A curve's spread over seeds at one step.</summary>
public sealed record CurvePoint(int Step, double Mean, double Min, double Max, int N);

/// <summary>One variant over its seeds.</summary>
/// <param name="Verdicts">How many finished runs got each verdict.</param>
/// <param name="AhaRate">The share of finished runs whose verdict is <c>aha</c>, with its bootstrap interval.</param>
/// <param name="AhaStep">The aha step over the runs that reached one.</param>
/// <param name="Final">Each compared metric's end-of-run mean over seeds, with its interval.</param>
/// <param name="Curves">Each curve's mean and min–max band over seeds, step by step.</param>
public sealed record VariantSummary(string Name, IReadOnlyList<string> Set, int Finished, IReadOnlyDictionary<string, int> Verdicts,
    Estimate? AhaRate, Estimate? AhaStep, IReadOnlyDictionary<string, Estimate?> Final, IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> Curves);

/// <summary>A variant against the first one on one measure.</summary>
/// <param name="Difference">The variant's mean minus the baseline's.</param>
/// <param name="PValue">The permutation test's two-sided p; null when a side has no value.</param>
/// <param name="BeyondNoise">Whether p is below the sweep's α: the difference is larger than the seeds' own spread explains.</param>
public sealed record VariantComparison(string Measure, string Baseline, string Variant, double? Difference, double? PValue, bool BeyondNoise);

/// <summary>A sweep's comparison: what <c>harness sweep</c> prints with <c>--json</c>, writes as <c>summary.json</c> and draws as <c>sweep.html</c>.</summary>
/// <param name="Detector">The series detector whose verdicts are counted.</param>
/// <param name="Experiment">The experiment file, relative to the working directory the sweep ran in.</param>
/// <param name="Set">The overrides every run shares (with the variants' and seeds, the plan, so a summary can be run again).</param>
/// <param name="Alpha">The level below which a p counts as beyond seed noise.</param>
public sealed record SweepSummary(string Experiment, IReadOnlyList<string> Set, IReadOnlyList<long> Seeds, string Detector, double Alpha,
    IReadOnlyList<VariantSummary> Variants, IReadOnlyList<VariantComparison> Comparisons, IReadOnlyList<SweepRunResult> Runs);
