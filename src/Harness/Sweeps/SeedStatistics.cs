namespace Harness.Sweeps;

/// <summary>A mean over seeds with its bootstrap confidence interval.</summary>
/// <param name="Low">The interval's lower end (the 2.5th percentile of the resampled means at 95 %).</param>
/// <param name="High">Its upper end.</param>
/// <param name="N">How many seeds it rests on.</param>
public sealed record Estimate(double Mean, double Low, double High, int N)
{
    /// <summary>"mean [low, high]", or the mean alone when it rests on one seed.</summary>
    public string Format(string format) => N == 1
        ? Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture)
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} [{Low.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}, {High.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}]");
}

/// <summary>
/// What seeds can and cannot tell apart. A mean's interval is the percentile bootstrap over seeds; a difference between
/// two variants is judged by a two-sided permutation test of the difference in means (exact over every relabelling when
/// there are at most <see cref="ExactLimit"/>, else that many random ones). Both draw from a fixed seed, so a summary is
/// reproducible. With few seeds the intervals are wide and the smallest reachable p is large (5 against 5: 2/252 ≈ 0.008).
/// </summary>
public static class SeedStatistics
{
    public const int Resamples = 10_000;
    public const int ExactLimit = 20_000;

    public static Estimate? Bootstrap(IReadOnlyList<double> values, double level = 0.95)
    {
        var n = values.Count;
        if (n == 0) return null;
        var mean = values.Average();
        if (n == 1) return new Estimate(mean, mean, mean, 1);
        var random = new Random(n);
        var means = new double[Resamples];
        for (var b = 0; b < Resamples; b++)
        {
            double sum = 0;
            for (var i = 0; i < n; i++) sum += values[random.Next(n)];
            means[b] = sum / n;
        }
        Array.Sort(means);
        var tail = (1 - level) / 2;
        return new Estimate(mean, Quantile(means, tail), Quantile(means, 1 - tail), n);
    }

    /// <summary>The two-sided p of |mean(a) − mean(b)| under relabelling; null when either side is empty.</summary>
    public static double? PermutationP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count == 0 || b.Count == 0) return null;
        double[] pooled = [.. a, .. b];
        var (n, k, total) = (pooled.Length, a.Count, pooled.Sum());
        var observed = Math.Abs(a.Average() - b.Average());
        // A relabelling is as extreme when its difference reaches the observed one, up to float noise.
        bool Extreme(double sumA) => Math.Abs(sumA / k - (total - sumA) / (n - k)) >= observed - 1e-12 * Math.Max(1, observed);
        if (Choose(n, k) <= ExactLimit)
        {
            long extreme = 0, count = 0;
            foreach (var sumA in SubsetSums(pooled, k, 0, 0))
            {
                count++;
                if (Extreme(sumA)) extreme++;
            }
            return extreme / (double)count;
        }
        var random = new Random(n * 7919 + k);
        var indices = Enumerable.Range(0, n).ToArray();
        var hits = 0;
        for (var r = 0; r < ExactLimit; r++)
        {
            random.Shuffle(indices);
            double sumA = 0;
            for (var i = 0; i < k; i++) sumA += pooled[indices[i]];
            if (Extreme(sumA)) hits++;
        }
        return (hits + 1.0) / (ExactLimit + 1.0);
    }

    private static IEnumerable<double> SubsetSums(double[] values, int k, int from, double sum)
    {
        if (k == 0) { yield return sum; yield break; }
        for (var i = from; i <= values.Length - k; i++)
            foreach (var s in SubsetSums(values, k - 1, i + 1, sum + values[i])) yield return s;
    }

    private static double Choose(int n, int k)
    {
        double c = 1;
        for (var i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var (lower, upper) = ((int)Math.Floor(position), (int)Math.Ceiling(position));
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
