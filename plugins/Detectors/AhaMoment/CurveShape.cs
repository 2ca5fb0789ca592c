namespace Harness.Plugins.Detectors.AhaMoment;

/// <summary>
/// How one metric moved over a run: its level at the start and the end (means of the first and last tenth),
/// its peak (moving average), and the best ramp fit. The curve bends when it ran flat for a while (the ramp
/// starts after the first tenth of the run, and the points before it rose by at most a third of the total),
/// then climbed: the ramp carries at least half of the rise, at least three times as steeply as before.
/// </summary>
public sealed record CurveShape(double First, double Last, double Peak, RampFit? Fit, double BreakValue)
{
    public double Rise => Last - First;

    public bool Bends(double start, double end)
    {
        if (Fit is null || Rise <= 0 || Fit.SlopeAfter <= 0) return false;
        var flatFor = Fit.BreakX - start;
        var riseBefore = Fit.SlopeBefore * flatFor;
        var rampRise = Fit.SlopeAfter * (Fit.EndX - Fit.BreakX);
        return flatFor >= (end - start) / 10 && riseBefore <= Rise / 3 && rampRise >= Rise / 2 && Fit.SlopeAfter >= 3 * Math.Max(Fit.SlopeBefore, 0);
    }

    public static CurveShape? Of(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 4) return null;
        var tenth = Math.Max(1, points.Count / 10);
        var first = points.Take(tenth).Average(p => p.Y);
        var last = points.Skip(points.Count - tenth).Average(p => p.Y);
        var window = Math.Max(1, points.Count / 20);
        var peak = Enumerable.Range(0, points.Count - window + 1).Max(i => points.Skip(i).Take(window).Average(p => p.Y));
        var fit = RampFit.Of(points);
        var breakValue = fit is null ? double.NaN : points.Where(p => p.X <= fit.BreakX).TakeLast(window).Average(p => p.Y);
        return new CurveShape(first, last, peak, fit, breakValue);
    }
}
