using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Grpo;

namespace Harness.Tests.Property;

/// <summary>
/// The closed-form gradient masses against a direct token-level computation. The aggregations are written
/// out here from their definitions (verl's agg_loss) as functions of a per-token loss matrix; at ratio 1 and
/// β = 0 each token's loss is −A_i·ratio, so the loss is linear and the push on token (i, t) is
/// A_i · ∂agg/∂ℓ_it, read off by aggregating the indicator of that token.
/// </summary>
public class MassProperties
{
    private const int Cases = 3000;

    private sealed record Case(LossAggregation Mode, double[] Advantages, int[] Lengths, int NormLength);

    private static Arbitrary<Case> Cases_ => (
        from mode in Gen.Elements(Enum.GetValues<LossAggregation>())
        from n in Gen.Choose(1, 8)
        from advantages in Gen.ArrayOf(Gen.Choose(-3000, 3000).Select(i => i / 1000.0), n)
        from lengths in Gen.ArrayOf(Gen.Choose(1, 120), n)
        from extra in Gen.Choose(0, 50)
        select new Case(mode, advantages, lengths, lengths.Max() + extra)).ToArbitrary();

    private static double Aggregate(LossAggregation mode, double[][] losses, int normLength) => mode switch
    {
        LossAggregation.SeqMeanTokenMean => losses.Average(seq => seq.Average()),
        LossAggregation.TokenMean => losses.Sum(seq => seq.Sum()) / losses.Sum(seq => seq.Length),
        LossAggregation.SeqMeanTokenSum => losses.Average(seq => seq.Sum()),
        LossAggregation.SeqMeanTokenSumNorm => losses.Average(seq => seq.Sum() / normLength),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private static double[] DirectSignedMass(Case c)
    {
        var mass = new double[c.Lengths.Length];
        for (var i = 0; i < c.Lengths.Length; i++)
            for (var t = 0; t < c.Lengths[i]; t++)
            {
                var indicator = c.Lengths.Select((len, j) => Enumerable.Range(0, len).Select(s => j == i && s == t ? 1.0 : 0.0).ToArray()).ToArray();
                mass[i] += c.Advantages[i] * Aggregate(c.Mode, indicator, c.NormLength);
            }
        return mass;
    }

    [Property(MaxTest = Cases)]
    public FsCheck.Property Closed_form_mass_equals_the_token_level_sum() =>
        Prop.ForAll(Cases_, c =>
        {
            var closed = LossAggregations.SignedMass(c.Mode, c.Advantages, c.Lengths, c.NormLength);
            return closed.Zip(DirectSignedMass(c)).All(p => Math.Abs(p.First - p.Second) <= 1e-12 * Math.Max(1, Math.Abs(p.Second)));
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Token_sum_mass_is_abs_advantage_times_length_over_group_size() =>
        Prop.ForAll(Cases_, c =>
        {
            var mass = LossAggregations.SignedMass(LossAggregation.SeqMeanTokenSum, c.Advantages, c.Lengths, c.NormLength);
            var g = c.Lengths.Length;
            return mass.Select((m, i) => Math.Abs(Math.Abs(m) * g - Math.Abs(c.Advantages[i]) * c.Lengths[i]) <= 1e-9).All(ok => ok);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Token_mean_removes_no_length_effect_and_seq_mean_token_mean_removes_all() =>
        Prop.ForAll(Cases_, c =>
        {
            var perToken = LossAggregations.SignedMass(LossAggregation.SeqMeanTokenMean, c.Advantages, c.Lengths, c.NormLength);
            // Under seq-mean-token-mean a completion's mass is A_i / G whatever its length.
            return perToken.Select((m, i) => Math.Abs(m - c.Advantages[i] / c.Lengths.Length) <= 1e-12).All(ok => ok);
        });
}
