using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Grpo;

/// <summary>The loss settings of one GRPO update.</summary>
/// <param name="NormLength">Dr. GRPO's fixed length, used by <see cref="LossAggregation.SeqMeanTokenSumNorm"/>.</param>
/// <param name="Kind">The per-token surrogate.</param>
/// <param name="SequenceClipLow">GSPO's own ε_low, on the sequence ratio.</param>
/// <param name="SequenceClipHigh">GSPO's own ε_high.</param>
public sealed record PolicyLossOptions(LossAggregation Aggregation, double ClipLow, double ClipHigh, double Beta, KlEstimator Kl, int NormLength,
    PolicyLossKind Kind = PolicyLossKind.Vanilla, double SequenceClipLow = 3e-4, double SequenceClipHigh = 4e-4)
{
    /// <summary>The aggregation in force: GSPO's unit is the sequence, so it is always <c>seq-mean-token-mean</c>.</summary>
    public LossAggregation EffectiveAggregation => Kind == PolicyLossKind.Gspo ? LossAggregation.SeqMeanTokenMean : Aggregation;
}

/// <summary>The loss and what it saw.</summary>
/// <param name="Loss">The scalar to minimise.</param>
/// <param name="ClipFraction">Share of tokens whose ratio the clip held back (the min chose the clipped term).</param>
/// <param name="Kl">Mean per-token KL estimate to the reference; null when there is none (β = 0).</param>
public sealed record PolicyLossResult(Tensor Loss, double ClipFraction, double? Kl);

/// <summary>
/// The update's loss: a surrogate per token (<see cref="PolicyLossKind"/>; GRPO's clipped one by default,
/// ℓ_it = −min(ρ_it·A_i, clip(ρ_it, 1 − ε_low, 1 + ε_high)·A_i) with ρ_it = π_θ / π_old) plus β·KL_it, aggregated as
/// <see cref="LossAggregations.TokenWeight"/> says: loss = Σ_i w_i Σ_t ℓ_it over each completion's counted tokens.
/// </summary>
public static class PolicyLoss
{
    /// <param name="logProbs">log π_θ of each token [N, T], with autograd; padding beyond each length is ignored.</param>
    /// <param name="oldLogProbs">log π_old [N, T], the policy that sampled.</param>
    /// <param name="referenceLogProbs">log π_ref [N, T], or null when β = 0.</param>
    /// <param name="advantages">One advantage per completion.</param>
    /// <param name="lengths">Each completion's token count in the loss: 0 leaves a completion out (truncation masking).</param>
    /// <param name="options">Clip ranges, β, the KL estimator and the aggregation.</param>
    /// <param name="rows">
    /// For a micro-batch: the batch row each of the tensors' rows is (null: all, in order). Advantages and lengths stay the
    /// whole batch's, so the micro-batches' losses add up to the whole batch's loss (each token keeps the weight the
    /// aggregation gives it), however the completions are grouped.
    /// </param>
    public static PolicyLossResult Compute(Tensor logProbs, Tensor oldLogProbs, Tensor? referenceLogProbs,
        IReadOnlyList<double> advantages, IReadOnlyList<int> lengths, PolicyLossOptions options, IReadOnlyList<int>? rows = null)
    {
        if (options.Beta > 0 && referenceLogProbs is null)
            throw new ArgumentException("β > 0 needs reference log-probs.", nameof(referenceLogProbs));
        using var scope = NewDisposeScope();
        var (count, width) = ((int)logProbs.shape[0], logProbs.shape[1]);
        var device = logProbs.device;
        rows ??= [.. Enumerable.Range(0, count)];
        var mask = Mask([.. rows.Select(i => lengths[i])], width, device);
        var weights = tensor(rows.Select(i => (float)LossAggregations.TokenWeight(options.EffectiveAggregation, lengths, i, options.NormLength)).ToArray(), device: device).unsqueeze(1);
        var advantage = tensor(rows.Select(i => (float)advantages[i]).ToArray(), device: device).unsqueeze(1);

        var surrogate = options.Kind switch
        {
            PolicyLossKind.Vanilla => ClippedSurrogate.PerToken(logProbs, oldLogProbs, advantage, options.ClipLow, options.ClipHigh),
            PolicyLossKind.Gspo => SequenceSurrogate.PerToken(logProbs, oldLogProbs, mask, advantage, options.SequenceClipLow, options.SequenceClipHigh),
            PolicyLossKind.Cispo => CispoSurrogate.PerToken(logProbs, oldLogProbs, advantage, options.ClipLow, options.ClipHigh),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, null),
        };
        var perToken = surrogate.PerToken;
        double? kl = null;
        if (referenceLogProbs is not null)
        {
            var klPerToken = KlPerToken(logProbs, referenceLogProbs, options.Kl);
            kl = MaskedMean(klPerToken.detach(), mask);
            if (options.Beta > 0) perToken = perToken + options.Beta * klPerToken;
        }
        var loss = (perToken * mask * weights).sum();
        var clipFraction = MaskedMean(surrogate.Clipped, mask);
        return new PolicyLossResult(loss.MoveToOuterDisposeScope(), clipFraction, kl);
    }

    /// <summary>Per-token KL(π_θ ‖ π_ref) estimate, with d = log π_ref − log π_θ.</summary>
    public static Tensor KlPerToken(Tensor logProbs, Tensor referenceLogProbs, KlEstimator estimator)
    {
        using var scope = NewDisposeScope();
        var d = referenceLogProbs - logProbs;
        var kl = estimator switch
        {
            KlEstimator.K1 => -d,
            KlEstimator.K2 => 0.5 * d * d,
            KlEstimator.K3 => d.exp() - d - 1,
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, null),
        };
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>[N, T] float mask: 1 on each completion's first <c>lengths[i]</c> positions.</summary>
    public static Tensor Mask(IReadOnlyList<int> lengths, long width, Device device)
    {
        var values = new float[lengths.Count * width];
        for (var i = 0; i < lengths.Count; i++)
            for (var t = 0; t < Math.Min(lengths[i], width); t++)
                values[i * width + t] = 1;
        return tensor(values, [lengths.Count, width], device: device);
    }

    private static double MaskedMean(Tensor values, Tensor mask) =>
        (values * mask).sum().item<float>() / Math.Max(1f, mask.sum().item<float>());
}
