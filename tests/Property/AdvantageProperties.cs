using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Grpo;

namespace Harness.Tests.Property;

/// <summary>Properties of group-relative advantages, each over thousands of generated batches.</summary>
public class AdvantageProperties
{
    private const int Cases = 3000;

    private static bool Close(double a, double b, double tolerance = 1e-9) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static Arbitrary<(double[][] Batch, AdvantageOptions Options)> BatchWithOptions =>
        (from b in Generators.Batch from o in Generators.Options select (b, o)).ToArbitrary();

    private static IReadOnlyList<IReadOnlyList<double>> AsGroups(double[][] batch) => batch;

    [Property(MaxTest = Cases)]
    public FsCheck.Property Advantages_sum_to_zero_in_every_group() =>
        Prop.ForAll(BatchWithOptions, x =>
            Advantages.Compute(AsGroups(x.Batch), x.Options).Groups
                .All(g => Math.Abs(g.Values.Sum()) <= 1e-9 * Math.Max(1, g.Values.Sum(Math.Abs))));

    [Property(MaxTest = Cases)]
    public FsCheck.Property Group_scaled_advantages_have_unit_std_unless_degenerate() =>
        Prop.ForAll(Generators.Group.ToArbitrary(), Gen.Elements(Enum.GetValues<StdKind>()).ToArbitrary(), (rewards, std) =>
        {
            var g = Advantages.ForGroup(rewards, new AdvantageOptions(AdvantageScale.Group, std));
            return g.ZeroStd || Close(Advantages.Std(g.Values, std), 1.0);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Equal_rewards_give_zeros_and_are_counted() =>
        Prop.ForAll(Generators.Reward.ToArbitrary(), Gen.Choose(1, 64).ToArbitrary(), Generators.Options.ToArbitrary(), (reward, n, options) =>
        {
            var batch = Advantages.Compute([Enumerable.Repeat(reward, n).ToArray(), [0.0, 1.0]], options);
            return batch.Groups[0].Values.All(a => a == 0.0) && batch.Groups[0].ZeroStd && batch.ZeroStdGroups == 1;
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Advantages_are_never_NaN_or_infinite() =>
        Prop.ForAll(BatchWithOptions, x =>
            Advantages.Compute(AsGroups(x.Batch), x.Options).Groups.SelectMany(g => g.Values).All(double.IsFinite));

    [Property(MaxTest = Cases)]
    public FsCheck.Property Scaled_advantages_ignore_a_shift_and_a_positive_scale_of_rewards() =>
        Prop.ForAll(Generators.Group.ToArbitrary(), Gen.Choose(-100, 100).ToArbitrary(),
            (from k in Gen.Choose(1, 1000) from s in Gen.Elements(AdvantageScale.Group, AdvantageScale.Batch) select (k / 100.0, s)).ToArbitrary(),
            (rewards, shift, x) =>
        {
            var (k, scale) = x;
            var options = new AdvantageOptions(scale);
            var before = Advantages.ForGroup(rewards, options).Values;
            var after = Advantages.ForGroup(rewards.Select(r => k * r + shift).ToArray(), options).Values;
            return before.Zip(after).All(p => Math.Abs(p.First - p.Second) <= 1e-6);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Unscaled_advantages_ignore_a_shift_and_scale_with_the_rewards() =>
        Prop.ForAll(Generators.Group.ToArbitrary(), Gen.Choose(-100, 100).ToArbitrary(), Gen.Choose(1, 1000).ToArbitrary(), (rewards, shift, scaleTenths) =>
        {
            var k = scaleTenths / 100.0;
            var options = new AdvantageOptions(AdvantageScale.None);
            var before = Advantages.ForGroup(rewards, options).Values;
            var shifted = Advantages.ForGroup(rewards.Select(r => r + shift).ToArray(), options).Values;
            var scaled = Advantages.ForGroup(rewards.Select(r => k * r).ToArray(), options).Values;
            return before.Zip(shifted).All(p => Math.Abs(p.First - p.Second) <= 1e-6)
                && before.Zip(scaled).All(p => Math.Abs(k * p.First - p.Second) <= 1e-6);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Order_of_rewards_is_preserved() =>
        Prop.ForAll(Generators.Group.ToArbitrary(), Generators.Options.ToArbitrary(), (rewards, options) =>
        {
            var a = Advantages.ForGroup(rewards, options);
            if (a.ZeroStd) return true;
            for (var i = 0; i < rewards.Length; i++)
                for (var j = 0; j < rewards.Length; j++)
                {
                    if (rewards[i] < rewards[j] && !(a.Values[i] < a.Values[j])) return false;
                    if (rewards[i] == rewards[j] && a.Values[i] != a.Values[j]) return false;
                }
            return true;
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Permuting_a_group_permutes_its_advantages() =>
        Prop.ForAll(Generators.Group.ToArbitrary(), Generators.Options.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (rewards, options, seed) =>
        {
            var order = Enumerable.Range(0, rewards.Length).ToArray();
            new Random(seed).Shuffle(order);
            var a = Advantages.ForGroup(rewards, options).Values;
            var permuted = Advantages.ForGroup(order.Select(i => rewards[i]).ToArray(), options).Values;
            return order.Select((source, i) => Math.Abs(permuted[i] - a[source]) <= 1e-9).All(ok => ok);
        });
}
