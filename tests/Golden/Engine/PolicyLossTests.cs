using Harness.Grpo;
using Harness.Tests.Golden.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.Engine;

/// <summary>The torch loss against direct computations: per-token gradients, the walkthrough's mass, clipping.</summary>
[Collection(TorchCollection.Name)]
public class PolicyLossTests
{
    private static readonly int[] Lengths = [92, 78, 14, 10];
    private static readonly double[] WalkthroughAdvantages = [1, -1, 1, -1];

    private static PolicyLossOptions Options(LossAggregation mode) => new(mode, 0.2, 0.28, 0, KlEstimator.K3, 100);

    /// <summary>d loss / d log π at ratio 1 and β = 0, from random log-probs padded to the longest completion.</summary>
    private static float[,] Gradient(LossAggregation mode, Tensor? oldOffset = null, double[]? advantages = null)
    {
        var logProbs = (randn(4, 92, generator: new Generator(3)) * 0.1 - 2).requires_grad_();
        var old = logProbs.detach() + (oldOffset ?? zeros(4, 92));
        var result = PolicyLoss.Compute(logProbs, old, null, advantages ?? WalkthroughAdvantages, Lengths, Options(mode));
        result.Loss.backward();
        var grad = logProbs.grad!.data<float>().ToArray();
        var matrix = new float[4, 92];
        for (var i = 0; i < 4; i++) for (var t = 0; t < 92; t++) matrix[i, t] = grad[i * 92 + t];
        return matrix;
    }

    public static TheoryData<LossAggregation> Modes => new(Enum.GetValues<LossAggregation>());

    [Theory]
    [MemberData(nameof(Modes))]
    public void Gradient_per_token_is_minus_advantage_times_the_aggregation_weight(LossAggregation mode)
    {
        var grad = Gradient(mode);
        // Written out per mode, independently of LossAggregations.TokenWeight.
        Func<int, double> weight = mode switch
        {
            LossAggregation.SeqMeanTokenMean => i => 1.0 / (4 * Lengths[i]),
            LossAggregation.TokenMean => _ => 1.0 / (92 + 78 + 14 + 10),
            LossAggregation.SeqMeanTokenSum => _ => 1.0 / 4,
            LossAggregation.SeqMeanTokenSumNorm => _ => 1.0 / (4 * 100),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        for (var i = 0; i < 4; i++)
            for (var t = 0; t < 92; t++)
            {
                var expected = t < Lengths[i] ? -WalkthroughAdvantages[i] * weight(i) : 0;
                Assert.Equal(expected, grad[i, t], 1e-7);
            }
    }

    [Fact]
    public void Seq_mean_token_sum_gives_the_walkthrough_completions_mass_abs_A_times_T()
    {
        var grad = Gradient(LossAggregation.SeqMeanTokenSum);
        // The loss averages over the G = 4 completions, so the summed mass is |A|·T / G.
        var mass = Enumerable.Range(0, 4).Select(i => 4 * Enumerable.Range(0, 92).Sum(t => Math.Abs(grad[i, t]))).ToArray();
        Assert.Equal([92.0, 78.0, 14.0, 10.0], mass.Select(m => Math.Round(m, 4)));
    }

    [Theory]
    [InlineData(1.5, +1, true)]   // above 1 + ε_high with A > 0: clipped, no gradient
    [InlineData(0.5, -1, true)]   // below 1 − ε_low with A < 0: clipped, no gradient
    [InlineData(1.1, +1, false)]  // inside the trust region
    [InlineData(0.9, -1, false)]
    [InlineData(1.5, -1, false)]  // the pessimistic min keeps the unclipped term: gradient flows
    [InlineData(0.5, +1, false)]
    public void Clipping_zeroes_the_gradient_outside_the_trust_region(double ratio, double advantage, bool zero)
    {
        // ratio = π/π_old = exp(log π − log π_old), so log π_old = log π − log ratio.
        var grad = Gradient(LossAggregation.TokenMean, full(4, 92, -Math.Log(ratio)), [advantage, advantage, advantage, advantage]);
        var total = Enumerable.Range(0, 4).Sum(i => Enumerable.Range(0, Lengths[i]).Sum(t => Math.Abs(grad[i, t])));
        if (zero) Assert.Equal(0, total);
        else Assert.True(total > 0.1, $"gradient mass {total}");
    }

    [Fact]
    public void Clip_fraction_counts_the_tokens_the_clip_held_back()
    {
        var logProbs = zeros(2, 3);
        var old = tensor(new float[] { 0, 0, 0, 0, 0, 0 }, [2, 3]);
        old[0, 0] = tensor(-1f); // ratio e ≈ 2.7 on one token of a positive completion: clipped
        var result = PolicyLoss.Compute(logProbs, old, null, [1, -1], [3, 3], Options(LossAggregation.TokenMean));
        Assert.Equal(1 / 6.0, result.ClipFraction, 6);
        Assert.Null(result.Kl);
    }

    [Fact]
    public void Beta_adds_the_kl_gradient_toward_the_reference()
    {
        var logProbs = tensor(new float[] { -1, -2 }, [1, 2]).requires_grad_();
        var reference = tensor(new float[] { -1.5f, -2 }, [1, 2]);
        var options = Options(LossAggregation.TokenMean) with { Beta = 0.5 };
        var result = PolicyLoss.Compute(logProbs, logProbs.detach(), reference, [0], [2], options);
        result.Loss.backward();
        var grad = logProbs.grad!.data<float>().ToArray();
        // d/dθ of k3 = e^(ref−θ) − (ref−θ) − 1 is 1 − e^(ref−θ); token-mean divides by 2 tokens.
        Assert.Equal(0.5 * (1 - Math.Exp(-0.5)) / 2, grad[0], 6);
        Assert.Equal(0, grad[1], 6);
        Assert.Equal((Math.Exp(-0.5) + 0.5 - 1) / 2, result.Kl!.Value, 6);
    }
}
