using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Plugins.Rewards.Equivalence;

namespace Harness.Tests.Property;

/// <summary>
/// Math equivalence on generated answers: a value equals itself rewritten as an equivalent fraction, decimal, mixed
/// number or reordered set, and not its neighbour; tuples keep their order; a factored polynomial equals its expansion.
/// </summary>
public class EquivalenceProperties
{
    private const int Cases = 1000;

    private static Arbitrary<(int P, int Q)> Fractions => Gen.Choose(-500, 500).SelectMany(p => Gen.Choose(1, 60).Select(q => (p, q))).ToArbitrary();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [Property(MaxTest = Cases)]
    public FsCheck.Property A_fraction_equals_its_rewritings_and_not_its_neighbour() =>
        Prop.ForAll(Fractions, Gen.Choose(2, 9).ToArbitrary(), ((int P, int Q) f, int k) =>
        {
            var gold = Invariant($"\\frac{{{f.P}}}{{{f.Q}}}");
            var value = (decimal)f.P / f.Q;
            string[] same =
            [
                Invariant($"\\frac{{{k * f.P}}}{{{k * f.Q}}}"),
                Invariant($"{f.P}/{f.Q}"),
                Invariant($"\\dfrac{{{f.P}}}{{{f.Q}}}"),
                // A decimal within the six places Math-Verify rounds to.
                Math.Round(value, 10).ToString(CultureInfo.InvariantCulture),
            ];
            return same.All(a => MathEquivalence.Equivalent(a, gold))
                && !MathEquivalence.Equivalent(Invariant($"\\frac{{{f.P + 1}}}{{{f.Q}}}"), gold)
                && !MathEquivalence.Equivalent(Math.Round(value + 0.01m, 10).ToString(CultureInfo.InvariantCulture), gold);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property A_mixed_number_equals_its_improper_fraction() =>
        Prop.ForAll(Gen.Choose(1, 99).ToArbitrary(), Gen.Choose(2, 20).SelectMany(q => Gen.Choose(1, q - 1).Select(p => (p, q))).ToArbitrary(), (int whole, (int P, int Q) part) =>
        {
            var gold = Invariant($"\\frac{{{whole * part.Q + part.P}}}{{{part.Q}}}");
            return MathEquivalence.Equivalent(Invariant($"{whole}\\frac{{{part.P}}}{{{part.Q}}}"), gold)
                && MathEquivalence.Equivalent(Invariant($"-{whole}\\frac{{{part.P}}}{{{part.Q}}}"), "-" + gold)
                && !MathEquivalence.Equivalent(Invariant($"{whole + 1}\\frac{{{part.P}}}{{{part.Q}}}"), gold);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property A_set_equals_any_reordering_and_a_tuple_only_its_own_order() =>
        Prop.ForAll(Gen.Choose(2, 6).SelectMany(n => Gen.Shuffle(Enumerable.Range(-20, 41).ToArray()).Select(all => all.Take(n).ToArray())).ToArbitrary(),
            Gen.Choose(1, 1000).ToArbitrary(), (int[] items, int seed) =>
        {
            var shuffled = items.OrderBy(x => (x * 7919 + seed) % 1009).ThenBy(x => x).ToArray();
            var reordered = !shuffled.SequenceEqual(items);
            string List(IEnumerable<int> xs) => string.Join(", ", xs.Select(x => x.ToString(CultureInfo.InvariantCulture)));
            return MathEquivalence.Equivalent($"\\{{{List(shuffled)}\\}}", $"\\{{{List(items)}\\}}")
                && MathEquivalence.Equivalent(List(shuffled), List(items))
                && MathEquivalence.Equivalent($"({List(items)})", $"({List(items)})")
                && (items.Length < 3 || MathEquivalence.Equivalent($"({List(shuffled)})", $"({List(items)})") == !reordered)
                && !MathEquivalence.Equivalent($"\\{{{List(items.Skip(1))}\\}}", $"\\{{{List(items)}\\}}");
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property A_factored_quadratic_equals_its_expansion() =>
        Prop.ForAll(Gen.Choose(-9, 9).ToArbitrary(), Gen.Choose(-9, 9).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (int a, int b, int k) =>
        {
            string Term(int c) => c < 0 ? Invariant($"- {-c}") : Invariant($"+ {c}");
            var factored = Invariant($"{k}(x {Term(-a)})(x {Term(-b)})");
            var expanded = Invariant($"{k}x^2 {Term(-k * (a + b))}x {Term(k * a * b)}");
            return MathEquivalence.Equivalent(expanded, factored) && !MathEquivalence.Equivalent(expanded + " + 1", factored);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Integers_with_separators_equal_their_value() =>
        Prop.ForAll(Gen.Choose(1000, 2_000_000_000).ToArbitrary(), n =>
        {
            var plain = n.ToString(CultureInfo.InvariantCulture);
            var commas = n.ToString("#,0", CultureInfo.InvariantCulture);
            return MathEquivalence.Equivalent(commas, plain)
                && MathEquivalence.Equivalent(commas.Replace(",", "{,}"), plain)
                && MathEquivalence.Equivalent(commas.Replace(",", "\\,"), plain)
                && !MathEquivalence.Equivalent(commas, (n + 1).ToString(CultureInfo.InvariantCulture));
        });
}
