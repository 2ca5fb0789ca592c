using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Sweeps;

namespace Harness.Tests.Property;

/// <summary>The sweep's statistics: bootstrap intervals and the permutation test, over generated seed outcomes.</summary>
public class SeedStatisticsProperties
{
    private const int Cases = 300;

    private static Gen<double[]> Outcomes(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.OneOf(Gen.Elements(0.0, 1.0), Gen.Choose(0, 10_000).Select(v => v / 100.0)), n));

    [Property(MaxTest = Cases)]
    public FsCheck.Property The_bootstrap_interval_holds_the_mean_within_the_values_range() =>
        Prop.ForAll(Outcomes(1, 12).ToArbitrary(), values =>
        {
            var e = SeedStatistics.Bootstrap(values)!;
            return e.N == values.Length && Math.Abs(e.Mean - values.Average()) < 1e-9
                && values.Min() - 1e-9 <= e.Low && e.Low <= e.Mean + 1e-9 && e.Mean - 1e-9 <= e.High && e.High <= values.Max() + 1e-9
                && (values.Distinct().Count() > 1 || e.Low == e.High);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property The_permutation_p_is_a_probability_symmetric_in_its_sides_and_1_when_nothing_differs() =>
        Prop.ForAll(Outcomes(1, 6).ToArbitrary(), Outcomes(1, 6).ToArbitrary(), (a, b) =>
        {
            var p = SeedStatistics.PermutationP(a, b)!.Value;
            var constant = a.Concat(b).Distinct().Count() == 1;
            return p > 0 && p <= 1 && Math.Abs(p - SeedStatistics.PermutationP(b, a)!.Value) < 1e-12 && (!constant || p == 1);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Separated_sides_reach_the_smallest_p_their_sizes_allow() =>
        Prop.ForAll(Gen.Choose(2, 6).ToArbitrary(), Gen.Choose(2, 6).ToArbitrary(), (n, m) =>
        {
            // Every value of one side above every value of the other: only the observed labelling and its mirror (when
            // the sides are the same size) are as extreme.
            var a = Enumerable.Range(0, n).Select(i => 100.0 + i).ToArray();
            var b = Enumerable.Range(0, m).Select(i => (double)i).ToArray();
            double relabellings = 1;
            for (var i = 1; i <= n; i++) relabellings = relabellings * (m + i) / i;
            var expected = (n == m ? 2 : 1) / relabellings;
            return Math.Abs(SeedStatistics.PermutationP(a, b)!.Value - expected) < 1e-12;
        });
}
