using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Core;
using Harness.Experiments;
using Harness.Grpo;
using Harness.Plugins.Rewards.Equivalence;

namespace Harness.Tests.Property;

/// <summary>Properties of the parsers: answers, reward combination, variant names and config overrides.</summary>
public class ParserProperties
{
    private const int Cases = 3000;

    private static Arbitrary<long> Integers => Gen.Choose(-2_000_000, 2_000_000).Select(i => (long)i * 37).ToArbitrary();

    private static string WithThousands(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    [Property(MaxTest = Cases)]
    public FsCheck.Property Any_spelling_of_a_number_matches_its_value() =>
        Prop.ForAll(Integers, Gen.Choose(0, 4).ToArbitrary(), (n, spelling) =>
        {
            var gold = n.ToString(CultureInfo.InvariantCulture);
            var answer = spelling switch
            {
                0 => gold,
                1 => n.ToString("0.000", CultureInfo.InvariantCulture),
                2 => n >= 0 ? "+" + gold : gold,
                3 => WithThousands(n),
                _ => $" {gold}. ",
            };
            return MathEquivalence.Equivalent(answer, gold) && !MathEquivalence.Equivalent(answer, (n + 1).ToString(CultureInfo.InvariantCulture));
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Combined_reward_is_the_weighted_sum_of_terms() =>
        Prop.ForAll(Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.ArrayOf(Generators.Reward, n), 3)).ToArbitrary(),
            Gen.ArrayOf(Gen.Choose(-20, 20).Select(w => w / 4.0), 3).ToArbitrary(), (terms, weights) =>
        {
            var n = terms[0].Length;
            var named = terms.Select((t, k) => ($"term{k}", (IReadOnlyList<double>)t)).ToDictionary(x => x.Item1, x => x.Item2);
            var w = weights.Select((v, k) => ($"term{k}", v)).ToDictionary(x => x.Item1, x => x.v);
            var total = RewardCombiner.Combine(named, w, n);
            return Enumerable.Range(0, n).All(i => Math.Abs(total[i] - terms.Select((t, k) => weights[k] * t[i]).Sum()) <= 1e-9);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Variant_names_round_trip() =>
        Prop.ForAll(Gen.Elements(Enum.GetValues<LossAggregation>()).ToArbitrary(), Gen.Elements(Enum.GetValues<AdvantageScale>()).ToArbitrary(),
            (mode, scale) =>
                VariantName.Parse<LossAggregation>(VariantName.Of(mode).ToUpperInvariant(), "x") == mode
                && VariantName.Parse<AdvantageScale>(" " + VariantName.Of(scale), "x") == scale);

    [Property(MaxTest = Cases)]
    public FsCheck.Property Overrides_split_at_the_first_equals_sign() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements("grpo", "rewards", "0", "groupSize", "weight"), 3).ToArbitrary(),
            Gen.Elements("16", "a=b", "", "x.y").ToArbitrary(), (path, value) =>
        {
            var parsed = ExperimentLoader.ParseOverrides([string.Join('.', path) + "=" + value]).Single();
            return parsed.Key == string.Join(':', path) && parsed.Value == value;
        });
}
