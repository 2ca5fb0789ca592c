using static TorchSharp.torch;

namespace Harness.Grpo;

/// <summary>
/// CISPO (MiniMax-M1, 2025): the importance weight is clipped and stopped, and multiplies the token's log-probability,
/// ℓ_it = −sg[clip(ρ_it, 1 − ε_low, 1 + ε_high)]·A_i·log π_θ(y_it), with ρ_it = exp(clamp(log π_θ − log π_old, ±20)). Every
/// token keeps a gradient (the clip bounds its weight instead of dropping it); at ρ = 1 the gradient is −A_i per token's
/// log-probability, REINFORCE's and the clipped surrogate's. TRL's <c>loss_type="cispo"</c> is the limit ε_low → 1 (no
/// lower clip) with its upper bound ε_max = 1 + ε_high.
/// Source: verl <c>compute_policy_loss_cispo</c>, verl/trainer/ppo/core_algos.py at b178a3cd.
/// </summary>
public static class CispoSurrogate
{
    /// <param name="advantage">[N, 1] advantages.</param>
    public static SurrogateTerms PerToken(Tensor logProbs, Tensor oldLogProbs, Tensor advantage, double clipLow, double clipHigh)
    {
        var ratio = (logProbs - oldLogProbs).clamp(-20, 20).exp();
        var weight = ratio.clamp(1 - clipLow, 1 + clipHigh).detach();
        return new SurrogateTerms(-weight * advantage * logProbs, weight.ne(ratio).to_type(ScalarType.Float32));
    }
}
