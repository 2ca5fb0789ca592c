namespace Harness.Plugins.Detectors.AhaMoment;

/// <summary>
/// The best fit of two straight lines to a curve, split at one point: for every split that leaves each side
/// at least <c>minShare</c> of the points, ordinary least squares on each side; the split with the least total
/// squared error wins. Where a curve runs flat and then climbs, the split lands where it bends.
/// </summary>
public sealed record TwoSegmentFit(double BreakX, double SlopeBefore, double SlopeAfter)
{
    public static TwoSegmentFit? Of(IReadOnlyList<(double X, double Y)> points, double minShare = 0.1)
    {
        var n = points.Count;
        var minimum = Math.Max(3, (int)Math.Ceiling(n * minShare));
        if (n < 2 * minimum) return null;
        TwoSegmentFit? best = null;
        var bestError = double.PositiveInfinity;
        for (var split = minimum; split <= n - minimum; split++)
        {
            var (slopeBefore, errorBefore) = Line(points, 0, split);
            var (slopeAfter, errorAfter) = Line(points, split, n);
            if (errorBefore + errorAfter >= bestError) continue;
            bestError = errorBefore + errorAfter;
            best = new TwoSegmentFit(points[split].X, slopeBefore, slopeAfter);
        }
        return best;
    }

    private static (double Slope, double SquaredError) Line(IReadOnlyList<(double X, double Y)> points, int from, int to)
    {
        var count = to - from;
        double meanX = 0, meanY = 0;
        for (var i = from; i < to; i++) { meanX += points[i].X; meanY += points[i].Y; }
        meanX /= count;
        meanY /= count;
        double sxx = 0, sxy = 0;
        for (var i = from; i < to; i++)
        {
            sxx += (points[i].X - meanX) * (points[i].X - meanX);
            sxy += (points[i].X - meanX) * (points[i].Y - meanY);
        }
        var slope = sxx == 0 ? 0 : sxy / sxx;
        double error = 0;
        for (var i = from; i < to; i++)
        {
            var residual = points[i].Y - (meanY + slope * (points[i].X - meanX));
            error += residual * residual;
        }
        return (slope, error);
    }
}
