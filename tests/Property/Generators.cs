using FsCheck;
using FsCheck.Fluent;

namespace Harness.Tests.Property;

/// <summary>Generators of rewards and groups shaped like GRPO's: small discrete R1 rewards, or arbitrary finite ones.</summary>
public static class Generators
{
    /// <summary>A reward: mostly R1-Zero's values (0, 0.1, 1, 1.1), sometimes any number in [-100, 100] on a 1e-4 grid.</summary>
    public static Gen<double> Reward { get; } = Gen.OneOf(
        Gen.Elements(0.0, 0.1, 1.0, 1.1),
        Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 10_000.0));

    /// <summary>A group of 1 to 16 rewards, a fifth of them all equal.</summary>
    public static Gen<double[]> Group { get; } = Gen.OneOf(
        Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Reward, n)),
        Gen.Choose(1, 16).SelectMany(n => Reward.Select(r => Enumerable.Repeat(r, n).ToArray())),
        Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Reward, n)),
        Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Reward, n)),
        Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Reward, n)));

    /// <summary>A batch of 1 to 8 groups.</summary>
    public static Gen<double[][]> Batch { get; } = Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Group, n));

    public static Gen<Grpo.AdvantageOptions> Options { get; } =
        from scale in Gen.Elements(Enum.GetValues<Grpo.AdvantageScale>())
        from std in Gen.Elements(Enum.GetValues<Grpo.StdKind>())
        select new Grpo.AdvantageOptions(scale, std);
}
