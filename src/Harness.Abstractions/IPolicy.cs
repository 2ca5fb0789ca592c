namespace Harness.Abstractions;

/// <summary>
/// A policy: samples groups of completions for prompts. Trainable policies add what the engine needs to
/// compute log-probabilities and update weights.
/// </summary>
public interface IPolicy
{
    /// <summary>Samples <see cref="SamplingRequest.GroupSize"/> completions for each prompt.</summary>
    /// <param name="request">The prompts and the sampling settings.</param>
    /// <returns>One group per prompt, in the request's order, each with exactly <c>GroupSize</c> completions.</returns>
    IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request);
}

/// <summary>What to sample.</summary>
/// <param name="Prompts">The prompts, one group each.</param>
/// <param name="GroupSize">Completions per prompt (G).</param>
/// <param name="MaxNewTokens">The most tokens one completion may have.</param>
/// <param name="Temperature">Sampling temperature; 1 samples the policy as it is.</param>
/// <param name="TopP">Nucleus sampling mass; 1 turns it off.</param>
/// <param name="Seed">Seed for this request's randomness, so seeded runs repeat.</param>
public sealed record SamplingRequest(IReadOnlyList<string> Prompts, int GroupSize, int MaxNewTokens, double Temperature, double TopP, long Seed)
{
    /// <summary>
    /// Sampling fixes to apply, in order, to every completion's next-token logits before each token is chosen
    /// (contract 1.3); empty for none. Policies that sample token by token apply them; greedy evaluation does not ask.
    /// </summary>
    public IReadOnlyList<ILogitsProcessor> LogitsProcessors { get; init; } = [];
}

/// <summary>One sampled completion.</summary>
/// <param name="Text">The completion text, without the prompt.</param>
/// <param name="TokenCount">How many tokens were generated.</param>
/// <param name="Truncated">Whether generation stopped at the token limit rather than by itself.</param>
public sealed record SampledCompletion(string Text, int TokenCount, bool Truncated)
{
    /// <summary>
    /// The policy's own token ids for this completion (contract 1.1), handed back unchanged to
    /// <see cref="ITrainablePolicy.Score"/>; empty for policies that are not trained.
    /// </summary>
    public IReadOnlyList<int> Tokens { get; init; } = [];

    /// <summary>
    /// Each of <see cref="Tokens"/> as the policy's vocabulary writes it (contract 1.5: <c>Ġthe</c>, <c>▁the</c>,
    /// <c>&lt;0x0A&gt;</c>), for people looking at a sample; empty when the policy does not say.
    /// </summary>
    public IReadOnlyList<string> TokenStrings { get; init; } = [];
}
