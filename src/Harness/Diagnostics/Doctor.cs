using System.Globalization;
using Harness.Abstractions;
using Harness.Experiments;
using Harness.Runs;

namespace Harness.Diagnostics;

/// <summary>
/// Judges each failure mode in a run (finished or live) from the per-step metrics its detectors logged, with example
/// completions from its log and the fix strategies' actions from its events. Rates are smoothed over
/// <see cref="Window"/> steps; "the end of the run" is its last quarter.
/// </summary>
public static class Doctor
{
    public const int Window = 5;
    private const int ExamplesPerMode = 2;

    /// <param name="modes">The failure modes the detectors declare (<see cref="DeclaredOutputs"/>).</param>
    public static DoctorReport Examine(LoadedRun run, IReadOnlyList<DeclaredFailureMode> modes)
    {
        var inUse = new HashSet<string>((run.Config?.Rewards ?? []).Select(r => r.Name).Concat((run.Config?.Fixes ?? []).Select(f => f.Name)), StringComparer.Ordinal);
        var diagnoses = modes.Select(mode => Judge(mode, run.Metrics, run.Completions, inUse)).ToArray();
        return new DoctorReport(run.Name, run.Metrics.Steps.Count, diagnoses, [.. run.Events.Where(e => e.Kind == RunEvent.Fix).Select(FixText)]);
    }

    /// <param name="completions">Streams the run's logged completions, for examples.</param>
    public static Diagnosis Judge(DeclaredFailureMode mode, MetricSeries series, Func<IEnumerable<CompletionRecord>> completions, ISet<string> inUse)
    {
        var fixInUse = inUse.Contains(mode.Info.Fix);
        var points = series.Metrics.TryGetValue(mode.Info.Metric, out var column)
            ? series.Steps.Zip(column).Where(p => p.Second.HasValue).Select(p => (Step: p.First, Value: p.Second!.Value)).ToArray()
            : [];
        if (points.Length == 0)
            return new Diagnosis(mode, DiagnosisStatus.NotMeasured, $"{mode.Info.Metric} is not in the run's metrics: add the detector '{mode.Detector}' to the experiment.",
                null, null, null, null, null, fixInUse, []);

        var smoothed = points.Select((_, i) => points[Math.Max(0, i - Window + 1)..(i + 1)].Average(p => p.Value)).ToArray();
        var peakIndex = Array.IndexOf(smoothed, smoothed.Max());
        var (peak, peakStep) = (smoothed[peakIndex], points[peakIndex].Step);
        var lastQuarter = (int)Math.Floor(points.Length * 0.75);
        var finalMean = points[lastQuarter..].Average(p => p.Value);
        var finalRange = $"steps {points[lastQuarter].Step}–{points[^1].Step}";
        return mode.Info.Rule == FailureRule.SustainedRate
            ? Sustained(mode, points, smoothed, peak, peakStep, finalMean, finalRange, completions, fixInUse)
            : FallFromPeak(mode, points, smoothed, peak, peakStep, finalMean, finalRange, fixInUse);
    }

    private static Diagnosis Sustained(DeclaredFailureMode mode, (int Step, double Value)[] points, double[] smoothed, double peak, int peakStep,
        double finalMean, string finalRange, Func<IEnumerable<CompletionRecord>> completions, bool fixInUse)
    {
        var above = points.Where((_, i) => smoothed[i] >= mode.Info.Threshold).Select(p => p.Step).ToArray();
        int? from = above.Length > 0 ? above[0] : null, to = above.Length > 0 ? above[^1] : null;
        var (status, evidence) = (finalMean >= mode.Info.Threshold, above.Length > 0) switch
        {
            (true, _) => (DiagnosisStatus.Found, Text($"{mode.Info.Metric} {finalMean:0.00} over {finalRange} (threshold {mode.Info.Threshold:0.00}); at or above it from step {from}, peak {peak:0.00} at step {peakStep}.")),
            (false, true) => (DiagnosisStatus.Cleared, Text($"{mode.Info.Metric} reached {peak:0.00} at step {peakStep} (≥ {mode.Info.Threshold:0.00} over steps {from}–{to}), then fell to {finalMean:0.00} over {finalRange}.")),
            _ => (DiagnosisStatus.Absent, Text($"{mode.Info.Metric} peaked at {peak:0.00} (step {peakStep}), below {mode.Info.Threshold:0.00}; {finalMean:0.00} over {finalRange}.")),
        };
        var examples = status == DiagnosisStatus.Absent || mode.Info.ExampleFlag is null ? [] : completions()
            .Where(c => c.Step >= from && c.Step <= to && c.Flags.Contains(mode.Info.ExampleFlag))
            .OrderByDescending(c => c.Step).Take(ExamplesPerMode).Select(c => (c.Step, c.Completion)).ToArray();
        return new Diagnosis(mode, status, evidence, from, to, peak, peakStep, finalMean, fixInUse, examples);
    }

    private static Diagnosis FallFromPeak(DeclaredFailureMode mode, (int Step, double Value)[] points, double[] smoothed, double peak, int peakStep,
        double finalMean, string finalRange, bool fixInUse)
    {
        // The first step whose moving average is half or less of the highest one so far, once that peak reached the threshold.
        var peakIndex = 0;
        var fallIndex = -1;
        for (var i = 0; i < smoothed.Length && fallIndex < 0; i++)
        {
            if (smoothed[i] > smoothed[peakIndex]) peakIndex = i;
            if (smoothed[peakIndex] >= mode.Info.Threshold && smoothed[i] <= smoothed[peakIndex] / 2) fallIndex = i;
        }
        if (fallIndex < 0)
            return new Diagnosis(mode, DiagnosisStatus.Absent, Text($"{mode.Info.Metric} peaked at {peak:0.00} (moving average, step {peakStep}) and never fell to half of a peak of {mode.Info.Threshold:0.00} or more; {finalMean:0.00} over {finalRange}."),
                null, null, peak, peakStep, finalMean, fixInUse, []);
        var (top, topStep, fallStep) = (smoothed[peakIndex], points[peakIndex].Step, points[fallIndex].Step);
        var (status, evidence) = finalMean <= top / 2
            ? (DiagnosisStatus.Found, Text($"{mode.Info.Metric} rose to {top:0.00} (moving average) at step {topStep}, fell to half by step {fallStep} and holds {finalMean:0.00} over {finalRange}."))
            : (DiagnosisStatus.Cleared, Text($"{mode.Info.Metric} rose to {top:0.00} at step {topStep}, fell to half by step {fallStep}, recovered to {finalMean:0.00} over {finalRange}."));
        return new Diagnosis(mode, status, evidence, topStep, fallStep, top, topStep, finalMean, fixInUse, []);
    }

    private static string FixText(RunEvent e) =>
        Text($"step {e.Step}: {e.Plugin}: {e.Reason} (learning rate {e.LearningRate:G4}, β {e.Beta:G4})");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
