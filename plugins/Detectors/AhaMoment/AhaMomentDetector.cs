using System.Globalization;
using Harness.Abstractions;

namespace Harness.Plugins.Detectors.AhaMoment;

/// <summary>
/// Decides whether a run had an aha moment: completion length, self-verification rate and pass@1 on the hard
/// set run flat, then bend upward together (their bends within <c>window</c> of the run's length). Verdicts:
/// <c>aha</c>; <c>premature-plateau</c> (self-verification rose, then fell back by half or more);
/// <c>ritual</c> (length and self-verification rose, pass@1 did not); <c>no-aha</c> (no rise, or a rise that
/// is smooth from the start or whose bends are apart); <c>too-short</c> (fewer than <c>min_steps</c>).
/// </summary>
[Plugin("aha-moment", Description = "verdict on a run: aha / no-aha / ritual / premature-plateau, with the aha step, window and slopes")]
public sealed class AhaMomentDetector(PluginSettings settings) : ISeriesDetector
{
    private readonly string _length = settings.GetString("length_metric", "completion_length_mean");
    private readonly string _verify = settings.GetString("verify_metric", "self_verify_rate");
    private readonly string _pass = settings.GetString("pass_metric", "pass1_hard");
    private readonly double _minLengthRatio = settings.GetDouble("min_length_ratio", 1.2);
    private readonly double _minVerifyRise = settings.GetDouble("min_verify_rise", 0.1);
    private readonly double _minPassRise = settings.GetDouble("min_pass_rise", 0.05);
    private readonly double _window = settings.GetDouble("window", 0.15);
    private readonly int _minSteps = settings.GetInt("min_steps", 20);

    public AhaMomentDetector() : this(new PluginSettings("aha-moment")) { }

    public SeriesReport Analyze(MetricSeries series)
    {
        var values = new Dictionary<string, double> { ["steps"] = series.Steps.Count };
        if (series.Steps.Count < _minSteps)
            return new SeriesReport("too-short", values, $"{series.Steps.Count} steps; the verdict needs at least {_minSteps}.");
        var start = series.Steps[0];
        var end = series.Steps[^1];
        var curves = new[] { _length, _verify, _pass }.ToDictionary(m => m, m => CurveShape.Of(Points(series, m)));
        SeriesReport Report(string verdict, string explanation, SeriesWindow? window = null) => new(verdict, values, explanation)
        {
            Curves = [.. curves.Select(c => Typed(c.Key, c.Value))],
            Window = window,
        };
        foreach (var (name, curve) in curves)
        {
            if (curve is null) continue;
            values[$"first/{name}"] = curve.First;
            values[$"last/{name}"] = curve.Last;
            if (curve.Fit is null) continue;
            values[$"bend_step/{name}"] = curve.Fit.BreakX;
            values[$"ramp_end/{name}"] = curve.Fit.EndX;
            values[$"value_at_bend/{name}"] = curve.BreakValue;
            values[$"slope_before/{name}"] = curve.Fit.SlopeBefore;
            values[$"slope_after/{name}"] = curve.Fit.SlopeAfter;
        }
        if (curves[_length] is not { } length || curves[_verify] is not { } verify || curves[_pass] is not { } pass)
        {
            var missing = curves.Where(c => c.Value is null).Select(c => c.Key);
            return Report("no-aha", $"Not enough values of {string.Join(", ", missing)} to judge.");
        }

        if (verify.Peak - verify.First >= _minVerifyRise && verify.Peak - verify.Last >= (verify.Peak - verify.First) / 2)
            return Report("premature-plateau",
                F($"{_verify} rose from {verify.First:F2} to {verify.Peak:F2}, then fell back to {verify.Last:F2}."));
        var lengthRises = length.Last >= _minLengthRatio * length.First;
        var verifyRises = verify.Rise >= _minVerifyRise;
        if (!lengthRises || !verifyRises)
            return Report("no-aha",
                F($"No rise: {_length} {length.First:F1} → {length.Last:F1}, {_verify} {verify.First:F2} → {verify.Last:F2}."));
        if (pass.Rise < _minPassRise)
            return Report("ritual",
                F($"{_length} and {_verify} rose ({verify.First:F2} → {verify.Last:F2}) but {_pass} did not ({pass.First:F2} → {pass.Last:F2}): the re-checks change no answer."));

        var bent = new[] { length, verify, pass }.All(c => c.Bends(start, end));
        var breaks = new[] { length, verify, pass }.Where(c => c.Fit is not null).Select(c => c.Fit!.BreakX).Order().ToArray();
        var together = breaks.Length == 3 && breaks[2] - breaks[0] <= _window * (end - start);
        if (!bent || !together)
            return Report("no-aha", bent
                ? F($"All three rose, but their bends ({string.Join(", ", breaks)}) are more than {_window:P0} of the run apart.")
                : "All three rose, but not flat-then-steep: a smooth rise from the start is not an aha moment.");
        values["aha_step"] = breaks[1];
        values["window_start"] = breaks[0];
        values["window_end"] = breaks[2];
        return Report("aha",
            F($"Length, self-verification and pass@1 on hard problems bend together at step {breaks[1]} (window {breaks[0]}–{breaks[2]})."),
            new SeriesWindow(breaks[0], breaks[2], breaks[1], F($"aha window, step {breaks[1]:0}")));
    }

    private static SeriesCurve Typed(string metric, CurveShape? curve) => new(metric)
    {
        First = curve?.First,
        Last = curve?.Last,
        BendStep = curve?.Fit?.BreakX,
        ValueAtBend = curve?.Fit is null ? null : curve.BreakValue,
        SlopeBefore = curve?.Fit?.SlopeBefore,
        SlopeAfter = curve?.Fit?.SlopeAfter,
    };

    private static List<(double X, double Y)> Points(MetricSeries series, string metric) =>
        series.Metrics.TryGetValue(metric, out var column)
            ? [.. series.Steps.Select((step, i) => (X: (double)step, Y: column[i])).Where(p => p.Y.HasValue).Select(p => (p.X, p.Y!.Value))]
            : [];

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
