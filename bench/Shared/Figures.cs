namespace Harness.Bench;

/// <summary>The arithmetic of a benchmark's report.</summary>
public static class Figures
{
    /// <summary>The median (NaN of nothing): the figure reported of repeats on a noisy machine.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Mib(double bytes) => bytes / (1 << 20);
}
