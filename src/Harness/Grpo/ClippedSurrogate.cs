using static TorchSharp.torch;

namespace Harness.Grpo;

/// <summary>
/// PPO's clipped surrogate per token (GRPO's): ℓ_it = −min(ρ_it·A_i, clip(ρ_it, 1 − ε_low, 1 + ε_high)·A_i), with
/// ρ_it = exp(log π_θ − log π_old). At ρ = 1 its gradient is −A_i per token's log-probability (REINFORCE).
/// Source: verl <c>compute_policy_loss_vanilla</c>, verl/trainer/ppo/core_algos.py at b178a3cd (dual-clip off).
/// </summary>
public static class ClippedSurrogate
{
    /// <param name="advantage">[N, 1] advantages.</param>
    public static SurrogateTerms PerToken(Tensor logProbs, Tensor oldLogProbs, Tensor advantage, double clipLow, double clipHigh) =>
        Clip((logProbs - oldLogProbs).exp(), advantage, clipLow, clipHigh);

    /// <summary>The pessimistic min of the unclipped and clipped terms for a given ratio; GSPO reuses it with its own.</summary>
    public static SurrogateTerms Clip(Tensor ratio, Tensor advantage, double clipLow, double clipHigh)
    {
        var unclipped = ratio * advantage;
        var clipped = ratio.clamp(1 - clipLow, 1 + clipHigh) * advantage;
        return new SurrogateTerms(-minimum(unclipped, clipped), clipped.lt(unclipped).to_type(ScalarType.Float32));
    }
}
