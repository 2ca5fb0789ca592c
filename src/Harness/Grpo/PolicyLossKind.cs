namespace Harness.Grpo;

/// <summary>The per-token surrogate of the update; the names are verl's <c>policy_loss.loss_mode</c>.</summary>
public enum PolicyLossKind
{
    /// <summary>PPO's clipped surrogate on each token's ratio (GRPO, DAPO, Dr. GRPO): <see cref="ClippedSurrogate"/>.</summary>
    Vanilla,
    /// <summary>GSPO: the clipped surrogate on the sequence's length-normalised ratio: <see cref="SequenceSurrogate"/>.</summary>
    Gspo,
    /// <summary>CISPO: a clipped, stop-gradient importance weight on the token's log-probability: <see cref="CispoSurrogate"/>.</summary>
    Cispo,
}

/// <summary>A surrogate's per-token loss and where its clip acted.</summary>
/// <param name="PerToken">ℓ_it [N, T] before masking and aggregation.</param>
/// <param name="Clipped">[N, T] float: 1 where the clip held the ratio back.</param>
public sealed record SurrogateTerms(TorchSharp.torch.Tensor PerToken, TorchSharp.torch.Tensor Clipped);
