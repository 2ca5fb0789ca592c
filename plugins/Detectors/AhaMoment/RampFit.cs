namespace Harness.Plugins.Detectors.AhaMoment;

/// <summary>
/// The best fit of a ramp to a curve: level until <c>BreakX</c>, a straight climb (or fall) to <c>EndX</c>, level
/// after. A phase transition that saturates (flat, steep, flat again) and one still climbing at the end of the
/// run both fit it, with <c>BreakX</c> where the climb starts; a rise from the first step puts <c>BreakX</c> at
/// the start. Every pair of points is tried as (start, end) of the ramp; least squares on the level before
/// and after, with prefix sums so the search costs O(n²), cheap enough to rerun after every step.
/// </summary>
/// <param name="BreakX">Where the ramp starts.</param>
/// <param name="EndX">Where it ends.</param>
/// <param name="SlopeBefore">Least-squares slope of the points before the ramp (0 with fewer than two).</param>
/// <param name="SlopeAfter">The ramp's own slope.</param>
public sealed record RampFit(double BreakX, double EndX, double SlopeBefore, double SlopeAfter)
{
    public static RampFit? Of(IReadOnlyList<(double X, double Y)> points)
    {
        var n = points.Count;
        if (n < 4) return null;
        var sums = new PrefixSums(points);
        RampFit? best = null;
        var bestError = double.PositiveInfinity;
        for (var i = 0; i < n - 1; i++)
        for (var j = i + 1; j < n; j++)
        {
            var (rise, error) = sums.Ramp(i, j);
            if (error >= bestError - 1e-12 * Math.Abs(bestError)) continue;
            bestError = error;
            var (x0, x1) = (points[i].X, points[j].X);
            best = new RampFit(x0, x1, sums.Slope(0, i + 1), rise / (x1 - x0));
        }
        return best;
    }

    /// <summary>Running sums of 1, x, x², y, xy, y² so any segment's sums cost two lookups.</summary>
    private sealed class PrefixSums
    {
        private readonly double[] _x, _xx, _y, _xy, _yy;
        private readonly IReadOnlyList<(double X, double Y)> _points;

        public PrefixSums(IReadOnlyList<(double X, double Y)> points)
        {
            _points = points;
            var n = points.Count;
            (_x, _xx, _y, _xy, _yy) = (new double[n + 1], new double[n + 1], new double[n + 1], new double[n + 1], new double[n + 1]);
            for (var k = 0; k < n; k++)
            {
                var (x, y) = points[k];
                _x[k + 1] = _x[k] + x;
                _xx[k + 1] = _xx[k] + x * x;
                _y[k + 1] = _y[k] + y;
                _xy[k + 1] = _xy[k] + x * y;
                _yy[k + 1] = _yy[k] + y * y;
            }
        }

        private static double Of(double[] sums, int from, int to) => sums[to] - sums[from];

        /// <summary>Least squares of y ≈ a + rise·r(x), r = 0 up to point i, 1 from point j, linear between.</summary>
        public (double Rise, double SquaredError) Ramp(int i, int j)
        {
            var n = _points.Count;
            var (x0, width) = (_points[i].X, _points[j].X - _points[i].X);
            int midFrom = i + 1, midTo = j, count = midTo - midFrom;
            var sumR = (Of(_x, midFrom, midTo) - count * x0) / width + (n - j);
            var sumRR = (Of(_xx, midFrom, midTo) - 2 * x0 * Of(_x, midFrom, midTo) + count * x0 * x0) / (width * width) + (n - j);
            var sumRY = (Of(_xy, midFrom, midTo) - x0 * Of(_y, midFrom, midTo)) / width + Of(_y, j, n);
            var (sumY, sumYY) = (_y[n], _yy[n]);
            var denominator = n * sumRR - sumR * sumR;
            var rise = denominator <= 0 ? 0 : (n * sumRY - sumR * sumY) / denominator;
            var level = (sumY - rise * sumR) / n;
            return (rise, sumYY - level * sumY - rise * sumRY);
        }

        /// <summary>Least-squares slope of points [from, to); 0 with fewer than two or no spread in x.</summary>
        public double Slope(int from, int to)
        {
            var count = to - from;
            if (count < 2) return 0;
            var sxx = Of(_xx, from, to) - Of(_x, from, to) * Of(_x, from, to) / count;
            var sxy = Of(_xy, from, to) - Of(_x, from, to) * Of(_y, from, to) / count;
            return sxx <= 0 ? 0 : sxy / sxx;
        }
    }
}
