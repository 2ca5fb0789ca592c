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

    /// <summary>Paired ratios of interleaved repeats as reported: their median and range, "1.23 (1.10–1.40)".</summary>
    public static string Ratios(IReadOnlyCollection<double> ratios) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Median(ratios):F2} ({ratios.Min():F2}–{ratios.Max():F2})");
}
