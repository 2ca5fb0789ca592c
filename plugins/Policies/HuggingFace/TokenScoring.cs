using Harness.Plugins.Policies.Decoding;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// Per-token log-probabilities and entropies from final hidden states, the vocabulary's logits made a chunk of
/// positions at a time. With autograd on, each chunk's logits are by default recomputed in the backward pass
/// (<see cref="Recompute"/>) rather than kept, so a 150k-token vocabulary never holds a [batch, tokens, vocabulary]
/// float32 tensor, at once or chunk by chunk; the price is one more pass of the vocabulary head.
/// </summary>
public static class TokenScoring
{
    /// <summary>[M, 2]: log π(target) (with autograd) and the entropy (without) at each of M positions, in float32.</summary>
    /// <param name="hidden">[M, H] final hidden states of the positions that predict the targets.</param>
    /// <param name="head">[V, H] the output projection, cut to the tokenizer's vocabulary; it must outlive the backward pass (not in a dispose scope).</param>
    /// <param name="targets">[M] the token each position predicts.</param>
    /// <param name="chunk">Positions per chunk.</param>
    /// <param name="recompute">Whether the backward pass recomputes each chunk's logits (one more pass of the head, in
    /// exchange for never keeping them) or keeps them as autograd does.</param>
    public static Tensor LogProbsAndEntropy(Tensor hidden, Tensor head, Tensor targets, int chunk, bool recompute = true)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < hidden.shape[0]; start += chunk)
        {
            var length = Math.Min(chunk, hidden.shape[0] - start);
            // The backward pass reads the chunk's targets again, after every scope of this call has closed.
            var rows = targets.narrow(0, start, length).DetachFromDisposeScope();
            var positions = hidden.narrow(0, start, length);
            parts.Add(recompute ? Recompute.Run(h => Score(h, head, rows), positions) : Score(positions, head, rows));
        }
        return (parts.Count == 1 ? parts[0] : cat(parts, 0)).MoveToOuterDisposeScope();
    }

    private static Tensor Score(Tensor hidden, Tensor head, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logProbs = nn.functional.log_softmax(nn.functional.linear(hidden, head).to_type(ScalarType.Float32), -1);
        var chosen = logProbs.gather(1, targets.unsqueeze(1)).squeeze(1);
        // The engine only logs the entropy: computed off the graph, it costs the backward pass no vocabulary-wide work.
        var detached = logProbs.detach();
        var entropy = -(detached.exp() * detached).sum(-1);
        return stack([chosen, entropy], 1).MoveToOuterDisposeScope();
    }
}
