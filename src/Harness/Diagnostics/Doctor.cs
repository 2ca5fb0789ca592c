using System.Globalization;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Runs;

namespace Harness.Diagnostics;

/// <summary>
/// Reads a finished (or running) run directory and judges each failure mode from the per-step metrics its
/// detectors logged, with example completions from completions.jsonl and the fix strategies' actions from
/// events.jsonl. Rates are smoothed over <see cref="Window"/> steps; "the end of the run" is its last quarter.
/// </summary>
public static class Doctor
{
    public const int Window = 5;
    private const int ExamplesPerMode = 2;

    public static DoctorReport Examine(RunDirectory run)
    {
        var series = MetricHistory.Read(run.Metrics).ToSeries();
        var completions = LoggedCompletion.ReadAll(run.Completions);
        var inUse = PluginsNamed(run.Config);
        var diagnoses = FailureModes.All.Select(mode => Judge(mode, series, completions, inUse)).ToArray();
        return new DoctorReport(Path.GetFileName(run.Root), series.Steps.Count, diagnoses, FixEvents(run.Events));
    }

    public static Diagnosis Judge(FailureMode mode, MetricSeries series, IReadOnlyList<LoggedCompletion> completions, ISet<string> inUse)
    {
        var fixInUse = inUse.Contains(mode.Fix);
        var points = series.Metrics.TryGetValue(mode.Metric, out var column)
            ? series.Steps.Zip(column).Where(p => p.Second.HasValue).Select(p => (Step: p.First, Value: p.Second!.Value)).ToArray()
            : [];
        if (points.Length == 0)
            return new Diagnosis(mode, DiagnosisStatus.NotMeasured, $"{mode.Metric} is not in metrics.jsonl: add the detector '{mode.Detector}' to the experiment.",
                null, null, null, null, null, fixInUse, []);

        var smoothed = points.Select((_, i) => points[Math.Max(0, i - Window + 1)..(i + 1)].Average(p => p.Value)).ToArray();
        var peakIndex = Array.IndexOf(smoothed, smoothed.Max());
        var (peak, peakStep) = (smoothed[peakIndex], points[peakIndex].Step);
        var lastQuarter = (int)Math.Floor(points.Length * 0.75);
        var finalMean = points[lastQuarter..].Average(p => p.Value);
        var finalRange = $"steps {points[lastQuarter].Step}–{points[^1].Step}";
        return mode.Rule == FailureRule.SustainedRate
            ? Sustained(mode, points, smoothed, peak, peakStep, finalMean, finalRange, completions, fixInUse)
            : FallFromPeak(mode, points, smoothed, peak, peakStep, finalMean, finalRange, fixInUse);
    }

    private static Diagnosis Sustained(FailureMode mode, (int Step, double Value)[] points, double[] smoothed, double peak, int peakStep,
        double finalMean, string finalRange, IReadOnlyList<LoggedCompletion> completions, bool fixInUse)
    {
        var above = points.Where((_, i) => smoothed[i] >= mode.Threshold).Select(p => p.Step).ToArray();
        int? from = above.Length > 0 ? above[0] : null, to = above.Length > 0 ? above[^1] : null;
        var (status, evidence) = (finalMean >= mode.Threshold, above.Length > 0) switch
        {
            (true, _) => (DiagnosisStatus.Found, Text($"{mode.Metric} {finalMean:0.00} over {finalRange} (threshold {mode.Threshold:0.00}); at or above it from step {from}, peak {peak:0.00} at step {peakStep}.")),
            (false, true) => (DiagnosisStatus.Cleared, Text($"{mode.Metric} reached {peak:0.00} at step {peakStep} (≥ {mode.Threshold:0.00} over steps {from}–{to}), then fell to {finalMean:0.00} over {finalRange}.")),
            _ => (DiagnosisStatus.Absent, Text($"{mode.Metric} peaked at {peak:0.00} (step {peakStep}), below {mode.Threshold:0.00}; {finalMean:0.00} over {finalRange}.")),
        };
        var examples = status == DiagnosisStatus.Absent || mode.Flag is null ? [] : completions
            .Where(c => c.Step >= from && c.Step <= to && c.Flags.Contains(mode.Flag))
            .OrderByDescending(c => c.Step).Take(ExamplesPerMode).Select(c => (c.Step, c.Text)).ToArray();
        return new Diagnosis(mode, status, evidence, from, to, peak, peakStep, finalMean, fixInUse, examples);
    }

    private static Diagnosis FallFromPeak(FailureMode mode, (int Step, double Value)[] points, double[] smoothed, double peak, int peakStep,
        double finalMean, string finalRange, bool fixInUse)
    {
        // The first step whose moving average is half or less of the highest one so far, once that peak reached the threshold.
        var peakIndex = 0;
        var fallIndex = -1;
        for (var i = 0; i < smoothed.Length && fallIndex < 0; i++)
        {
            if (smoothed[i] > smoothed[peakIndex]) peakIndex = i;
            if (smoothed[peakIndex] >= mode.Threshold && smoothed[i] <= smoothed[peakIndex] / 2) fallIndex = i;
        }
        if (fallIndex < 0)
            return new Diagnosis(mode, DiagnosisStatus.Absent, Text($"{mode.Metric} peaked at {peak:0.00} (moving average, step {peakStep}) and never fell to half of a peak of {mode.Threshold:0.00} or more; {finalMean:0.00} over {finalRange}."),
                null, null, peak, peakStep, finalMean, fixInUse, []);
        var (top, topStep, fallStep) = (smoothed[peakIndex], points[peakIndex].Step, points[fallIndex].Step);
        var (status, evidence) = finalMean <= top / 2
            ? (DiagnosisStatus.Found, Text($"{mode.Metric} rose to {top:0.00} (moving average) at step {topStep}, fell to half by step {fallStep} and holds {finalMean:0.00} over {finalRange}."))
            : (DiagnosisStatus.Cleared, Text($"{mode.Metric} rose to {top:0.00} at step {topStep}, fell to half by step {fallStep}, recovered to {finalMean:0.00} over {finalRange}."));
        return new Diagnosis(mode, status, evidence, topStep, fallStep, top, topStep, finalMean, fixInUse, []);
    }

    /// <summary>The names of the rewards and fixes a run's config.json lists.</summary>
    private static HashSet<string> PluginsNamed(string configPath)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(configPath)) return names;
        using var document = JsonDocument.Parse(File.ReadAllText(configPath));
        foreach (var list in new[] { "rewards", "fixes" })
            if (document.RootElement.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
                foreach (var item in items.EnumerateArray())
                    if (item.TryGetProperty("name", out var name) && name.GetString() is { } text) names.Add(text);
        return names;
    }

    private static string[] FixEvents(string eventsPath) => !File.Exists(eventsPath) ? [] :
    [
        .. JsonlLog.Records(eventsPath).Select(r => r.Record)
            .Where(e => e.TryGetProperty("kind", out var kind) && kind.GetString() == "fix")
            .Select(e => Text($"step {e.GetProperty("step").GetInt32()}: {e.GetProperty("plugin").GetString()}: {e.GetProperty("reason").GetString()} (learning rate {e.GetProperty("learning_rate").GetDouble():G4}, β {e.GetProperty("beta").GetDouble():G4})")),
    ];

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
