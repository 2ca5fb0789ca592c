using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Scoring;

/// <summary>
/// Gradient checkpointing for one function of one tensor: the forward pass keeps only the input; the backward pass runs
/// the function again with autograd on and back-propagates through that copy, which also accumulates the gradients of
/// any parameters it uses (PyTorch's reentrant <c>torch.utils.checkpoint</c>, which TorchSharp does not have). Memory
/// for the function's intermediate tensors is traded for a second forward pass. The function must be deterministic.
/// </summary>
public sealed class Recompute : autograd.SingleTensorFunction<Recompute>
{
    private const string FunctionKey = "function";

    public override string Name => nameof(Recompute);

    /// <summary><paramref name="function"/>(<paramref name="input"/>), its intermediates recomputed in the backward pass instead of kept.</summary>
    public static Tensor Run(Func<Tensor, Tensor> function, Tensor input) =>
        is_grad_enabled() ? apply(function, input) : function(input);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var function = (Func<Tensor, Tensor>)vars[0];
        var input = (Tensor)vars[1];
        ctx.save_for_backward([input]);
        ctx.save_data(FunctionKey, function);
        using var noGrad = no_grad();
        // Without a graph nothing else holds the intermediates: free them now, not when the caller's scope ends.
        using var scope = NewDisposeScope();
        return function(input).MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
    {
        var saved = ctx.get_saved_variables()[0];
        var function = (Func<Tensor, Tensor>)ctx.get_data(FunctionKey);
        // The recomputed intermediates are freed as soon as their backward is done, not left to the finalizer: a
        // measured step of a checkpointed 0.5B-shaped model held more memory than one without checkpointing before this.
        using var scope = NewDisposeScope();
        var input = saved.detach().requires_grad_(saved.requires_grad);
        using (enable_grad())
        {
            var output = function(input);
            output.backward([grad]);
        }
        // One gradient per argument of apply: none for the function, then the input's.
        return [null!, (input.requires_grad ? input.grad! : zeros_like(saved)).DetachFromDisposeScope()];
    }
}
