namespace Harness.Abstractions;

/// <summary>
/// A sampling fix (contract 1.3): changes the next-token logits before a policy picks each token, e.g. a
/// repetition penalty. Named under <c>fixes</c> in an experiment, like fix strategies.
/// </summary>
public interface ILogitsProcessor
{
    /// <summary>Adjusts one completion's next-token logits in place.</summary>
    /// <param name="generated">The completion's tokens so far, as the policy's token ids (the prompt excluded).</param>
    /// <param name="logits">The next-token logits over the policy's vocabulary, indexed by token id; changed in place.</param>
    void Process(ReadOnlySpan<int> generated, Span<float> logits);
}
