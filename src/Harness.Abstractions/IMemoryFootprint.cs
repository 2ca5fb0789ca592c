namespace Harness.Abstractions;

/// <summary>
/// A trainable policy that can say how much memory its activations take in an update (contract 1.5), so that a run
/// which cannot fit stops with an error before it starts instead of failing mid-step.
/// </summary>
public interface IMemoryFootprint
{
    /// <summary>An estimate of the bytes a scoring pass with autograd keeps for the backward pass.</summary>
    /// <param name="sequences">Completions scored together (a micro-batch).</param>
    /// <param name="prompt">The longest prompt, before the policy's template.</param>
    /// <param name="completionTokens">The most tokens a completion may have.</param>
    /// <returns>Bytes on the model's device.</returns>
    long ActivationBytes(int sequences, string prompt, int completionTokens);
}
