using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Abstractions;

/// <summary>
/// A policy the GRPO engine can train (contract 1.1). The engine owns the optimizer, the loss, the device
/// and checkpoints; the policy owns its model and how a completion's tokens are scored.
/// </summary>
public interface ITrainablePolicy : IPolicy
{
    /// <summary>
    /// The trainable module. The engine optimizes its parameters, moves it to the run's device, switches
    /// train/eval mode and saves or loads its state for checkpoints and the frozen reference policy.
    /// </summary>
    nn.Module Model { get; }

    /// <summary>Scores completions token by token, with autograd when gradients are enabled.</summary>
    /// <param name="request">The completions to score, as their tokens.</param>
    /// <returns>Per-token log-probabilities and entropies, padded to the longest completion.</returns>
    TokenScores Score(ScoringRequest request);
}

/// <summary>Completions to score.</summary>
/// <param name="Prompts">The prompt of each completion (one entry per completion, not per group).</param>
/// <param name="Tokens">Each completion's tokens, as <see cref="SampledCompletion.Tokens"/> gave them.</param>
public sealed record ScoringRequest(IReadOnlyList<string> Prompts, IReadOnlyList<IReadOnlyList<int>> Tokens);

/// <summary>Per-token scores, each shaped [completions, longest completion], on the model's device.</summary>
/// <param name="LogProbs">log π(token | prompt, earlier tokens); padding positions hold 0.</param>
/// <param name="Entropy">Entropy of the policy's distribution at each position; padding positions hold 0.</param>
public sealed record TokenScores(Tensor LogProbs, Tensor Entropy);

/// <summary>
/// A trainable policy that can also learn from plain text, as pretraining does (contract 1.2): it turns a
/// document into its tokens, and <see cref="ITrainablePolicy.Score"/> with an empty prompt then gives the
/// log-probability of each of them.
/// </summary>
public interface ITextPolicy : ITrainablePolicy
{
    /// <summary>The tokens of a whole document, ending with the policy's end-of-text token.</summary>
    /// <param name="document">The text.</param>
    /// <returns>Token ids for <see cref="ScoringRequest.Tokens"/>, with an empty prompt.</returns>
    IReadOnlyList<int> Tokenize(string document);
}
