using static TorchSharp.torch;

namespace Harness.Grpo;

/// <summary>
/// GSPO (Zheng et al. 2025), its token form: the sequence's length-normalised ratio
/// s_i = exp((1/|y_i|) Σ_t (log π_θ − log π_old)), carried by each token as s_it = sg[s_i] · π_θ(y_it) / sg[π_θ(y_it)]
/// (the same value, and each token's gradient is s_i·∇log π_θ(y_it)), clamped at log s_it ≤ 10, then the clipped surrogate
/// ℓ_it = −min(s_it·A_i, clip(s_it, 1 − ε_low^seq, 1 + ε_high^seq)·A_i) with GSPO's own, far narrower, clip range (the paper's
/// 3·10⁻⁴ and 4·10⁻⁴). The loss is aggregated <c>seq-mean-token-mean</c> whatever <c>grpo.lossAggregation</c> says, as verl
/// does: the sequence, not the token, is the unit. When every token of a sequence has the same ratio, s_i is that ratio
/// and GSPO is token-level GRPO with the same clip range.
/// Source: verl <c>compute_policy_loss_gspo</c>, verl/trainer/ppo/core_algos.py at b178a3cd; TRL
/// <c>importance_sampling_level="sequence"</c>, trl/trainer/grpo_trainer.py at f2cd5771.
/// </summary>
public static class SequenceSurrogate
{
    /// <param name="mask">[N, T] 1 on each completion's tokens that count.</param>
    /// <param name="advantage">[N, 1] advantages.</param>
    public static SurrogateTerms PerToken(Tensor logProbs, Tensor oldLogProbs, Tensor mask, Tensor advantage, double clipLow, double clipHigh)
    {
        var meanLogRatio = ((logProbs - oldLogProbs) * mask).sum(1, keepdim: true) / mask.sum(1, keepdim: true).clamp_min(1);
        var logRatio = (logProbs - logProbs.detach() + meanLogRatio.detach()).clamp_max(10);
        return ClippedSurrogate.Clip(logRatio.exp(), advantage, clipLow, clipHigh);
    }
}
