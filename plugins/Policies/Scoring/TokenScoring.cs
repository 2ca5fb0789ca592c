using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Scoring;

/// <summary>
/// Per-token log-probabilities and entropies from final hidden states through the vocabulary head, a chunk of positions
/// at a time, with the head's backward pass written out (a fused linear + log-softmax, as large-vocabulary trainers
/// do): the gradient of log π(target) with respect to the logits, onehot − softmax, is made in place in a chunk's
/// buffer and multiplied straight into the hidden states' and the weight's gradients. Autograd's own chain would
/// allocate several [chunk, vocabulary] tensors per chunk and one [vocabulary, hidden] weight gradient per chunk; on the
/// CPU each fresh large allocation also pays its page faults.
/// </summary>
public static class TokenScoring
{
    /// <summary>The largest softmax (positions × vocabulary × 4 bytes) the policy keeps for the backward pass by default, 1 GiB;
    /// past it each chunk's logits are made again (a fourth pass of the head instead of three).</summary>
    public const long KeptSoftmaxLimit = 1L << 30;

    /// <summary>Whether the softmax of <paramref name="positions"/> fits under <see cref="KeptSoftmaxLimit"/>, so that by default it is kept.</summary>
    public static bool KeepsSoftmax(long positions, int vocabulary) => SoftmaxBytes(positions, vocabulary) <= KeptSoftmaxLimit;

    /// <summary>Bytes of float32 buffers that scoring <paramref name="positions"/> holds at its peak: two chunks' logits when
    /// recomputing, else every position's softmax and one chunk's logits.</summary>
    public static long HeldBytes(long positions, int vocabulary, int chunk, bool recompute)
    {
        var width = Math.Min(chunk, positions);
        return SoftmaxBytes(recompute ? 2 * width : positions + width, vocabulary);
    }

    private static long SoftmaxBytes(long positions, int vocabulary) => 4L * positions * vocabulary;

    /// <summary>[M, 2]: log π(target) (differentiable) and the entropy (carrying no gradient) at each of M positions, in float32.</summary>
    /// <param name="hidden">[M, H] final hidden states of the positions that predict the targets.</param>
    /// <param name="weight">[V', H] the output projection (the embedding, when tied); only its first <paramref name="vocabulary"/> rows are scored, and the rest get no gradient.</param>
    /// <param name="vocabulary">The tokenizer's ids: rows past it pad the embedding and are never a choice.</param>
    /// <param name="targets">[M] the token each position predicts.</param>
    /// <param name="chunk">Positions whose logits are made at once.</param>
    /// <param name="recompute">Whether the backward pass makes each chunk's logits again (one more pass of the head, two
    /// chunks' buffers held) or keeps every position's softmax from the forward pass ([M, vocabulary] float32 held).</param>
    public static Tensor LogProbsAndEntropy(Tensor hidden, Tensor weight, int vocabulary, Tensor targets, int chunk, bool recompute)
    {
        var differentiable = is_grad_enabled() && (hidden.requires_grad || weight.requires_grad);
        if (differentiable) return FusedHead.apply(hidden, weight, vocabulary, targets, chunk, recompute);
        using var scope = NewDisposeScope();
        return Forward(hidden, weight.narrow(0, 0, vocabulary), targets, chunk, null).Scores.MoveToOuterDisposeScope();
    }

    // Scores [M, 2] and log-normalisers [M]; each chunk's softmax is added to keep when it is not null.
    private static (Tensor Scores, Tensor LogNormalizers) Forward(Tensor hidden, Tensor head, Tensor targets, int chunk, List<Tensor>? keep)
    {
        var count = hidden.shape[0];
        var width = Math.Min(chunk, count);
        var scores = empty([count, 2], ScalarType.Float32, hidden.device);
        var logNormalizers = empty([count], ScalarType.Float32, hidden.device);
        using var scope = NewDisposeScope();
        var logits = empty([width, head.shape[0]], ScalarType.Float32, hidden.device);
        var reused = keep is null ? empty_like(logits) : null;
        for (long start = 0; start < count; start += chunk)
        {
            var length = Math.Min(chunk, count - start);
            var x = Logits(hidden.narrow(0, start, length), head, logits.narrow(0, 0, length));
            var max = x.amax([-1], keepdim: true);
            var p = keep is null ? reused!.narrow(0, 0, length) : empty_like(x);
            p.copy_(x).sub_(max).exp_();
            var total = p.sum([-1], keepdim: true);
            var logNormalizer = max.add_(total.log());
            p.div_(total);
            var chosen = x.gather(1, targets.narrow(0, start, length).unsqueeze(1)).sub_(logNormalizer);
            // H = log Z − Σ p·x, the row-wise dot product as a batch of [1, V] × [V, 1] products: no [chunk, V] temporary.
            var entropy = logNormalizer - p.unsqueeze(1).bmm(x.unsqueeze(2)).view(length, 1);
            scores.narrow(0, start, length).copy_(cat([chosen, entropy], 1));
            logNormalizers.narrow(0, start, length).copy_(logNormalizer.view(length));
            // Kept softmaxes leave with the caller's scope, after autograd has taken its own reference to them.
            if (keep is not null) keep.Add(p.MoveToOuterDisposeScope());
        }
        return (scores, logNormalizers);
    }

    // The chunk's logits written into the float32 buffer: in place for float32 weights, cast from bfloat16 otherwise.
    private static Tensor Logits(Tensor hidden, Tensor head, Tensor buffer)
    {
        if (head.dtype == ScalarType.Float32) return buffer.addmm_(hidden, head.t(), 0, 1);
        using var product = hidden.mm(head.t());
        return buffer.copy_(product);
    }

    private sealed class FusedHead : autograd.SingleTensorFunction<FusedHead>
    {
        public override string Name => nameof(FusedHead);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (hidden, weight, vocabulary, targets, chunk, recompute) = ((Tensor)vars[0], (Tensor)vars[1], (int)vars[2], (Tensor)vars[3], (int)vars[4], (bool)vars[5]);
            using var noGrad = no_grad();
            var kept = recompute ? null : new List<Tensor>();
            var (scores, logNormalizers) = Forward(hidden, weight.narrow(0, 0, vocabulary), targets, chunk, kept);
            ctx.save_for_backward([hidden, weight, targets, logNormalizers, .. kept ?? []]);
            ctx.save_data("vocabulary", vocabulary);
            ctx.save_data("chunk", chunk);
            return scores;
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var saved = ctx.get_saved_variables();
            var (hidden, weight, targets, logNormalizers) = (saved[0], saved[1], saved[2], saved[3]);
            var (vocabulary, chunk) = ((int)ctx.get_data("vocabulary"), (int)ctx.get_data("chunk"));
            var head = weight.narrow(0, 0, vocabulary);
            var count = hidden.shape[0];
            var hiddenGrad = hidden.requires_grad ? empty_like(hidden) : null;
            // A parameter takes the head's gradient straight into its .grad: handed back to autograd, it would meet the
            // tied embedding's gradient in a third [V', H] buffer (one more transient the size of the embedding).
            var direct = weight.requires_grad && weight.is_leaf;
            var accumulated = direct ? weight.grad : null;
            var weightGrad = accumulated ?? (weight.requires_grad ? empty_like(weight) : null);
            if (accumulated is null) weightGrad?.narrow(0, vocabulary, weight.shape[0] - vocabulary).zero_();
            var headGrad = weightGrad?.narrow(0, 0, vocabulary);
            using (var scope = NewDisposeScope())
            {
                var upstream = grad.select(1, 0).contiguous().unsqueeze(1);
                var buffer = saved.Count > 4 ? null : empty([Math.Min(chunk, count), vocabulary], ScalarType.Float32, hidden.device);
                for (long start = 0; start < count; start += chunk)
                {
                    var length = Math.Min(chunk, count - start);
                    var rows = hidden.narrow(0, start, length);
                    var p = buffer is null ? saved[4 + (int)(start / chunk)] : Logits(rows, head, buffer.narrow(0, 0, length)).sub_(logNormalizers.narrow(0, start, length).unsqueeze(1)).exp_();
                    // ∂ log π(target) / ∂ logits = onehot(target) − softmax, times each position's upstream gradient.
                    var g = upstream.narrow(0, start, length);
                    var logitsGrad = p.mul_(g.neg()).scatter_add_(1, targets.narrow(0, start, length).unsqueeze(1), g);
                    var d = logitsGrad.dtype == weight.dtype ? logitsGrad : logitsGrad.to_type(weight.dtype);
                    if (hiddenGrad is not null) hiddenGrad.narrow(0, start, length).addmm_(d, head, 0, 1);
                    // A new buffer's first chunk writes the gradient (β = 0 ignores its contents); the rest add to it.
                    headGrad?.addmm_(d.t(), rows, accumulated is null && start == 0 ? 0 : 1, 1);
                }
            }
            if (direct && accumulated is null) weight.grad = weightGrad;
            return [hiddenGrad!, direct ? null! : weightGrad!, null!, null!, null!, null!];
        }
    }
}
