using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Grpo;
using static TorchSharp.torch;

namespace Harness.Tests.Property;

/// <summary>The k3 KL estimator e^d − d − 1 (d = log π_ref − log π_θ): never negative, zero only where the log-probs agree.</summary>
public class KlProperties
{
    private const int Cases = 3000;

    /// <summary>Pairs of log-probs in [-30, 0] on a 1e-4 grid; a third of them equal.</summary>
    private static Gen<(double Theta, double Reference)> Pair { get; } =
        from theta in Gen.Choose(-300_000, 0)
        from reference in Gen.OneOf(Gen.Constant(theta), Gen.Choose(-300_000, 0), Gen.Choose(-300_000, 0))
        select (theta / 10_000.0, reference / 10_000.0);

    [Property(MaxTest = Cases)]
    public FsCheck.Property K3_is_non_negative_and_zero_only_at_equal_log_probs() =>
        Prop.ForAll(Gen.Choose(1, 32).SelectMany(n => Gen.ArrayOf(Pair, n)).ToArbitrary(), pairs =>
        {
            using var scope = NewDisposeScope();
            var theta = tensor(pairs.Select(p => p.Theta).ToArray(), ScalarType.Float64);
            var reference = tensor(pairs.Select(p => p.Reference).ToArray(), ScalarType.Float64);
            var k3 = PolicyLoss.KlPerToken(theta, reference, KlEstimator.K3).data<double>().ToArray();
            return pairs.Select((p, i) => p.Theta == p.Reference ? k3[i] == 0 : k3[i] > 0).All(ok => ok);
        });
}
