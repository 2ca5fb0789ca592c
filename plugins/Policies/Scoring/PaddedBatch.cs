using Harness.Abstractions;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Scoring;

/// <summary>
/// Completions after their prompts, right-padded into one batch for scoring (causal attention keeps every real position
/// blind to the padding after it), with where each completion token is predicted from: the hidden state at position p
/// predicts the token at p + 1. Shared by the policies' <see cref="ITrainablePolicy.Score"/>.
/// </summary>
public sealed class PaddedBatch
{
    private readonly long[] _input, _sources, _targets, _destinations;

    /// <param name="policy">The policy's name, for the error when prompts and completions do not pair up.</param>
    public PaddedBatch(string policy, IReadOnlyList<int[]> prompts, IReadOnlyList<IReadOnlyList<int>> completions)
    {
        if (prompts.Count != completions.Count) throw new ArgumentException($"Policy '{policy}': {prompts.Count} prompts for {completions.Count} completions.");
        Count = prompts.Count;
        Length = Enumerable.Range(0, Count).Max(i => prompts[i].Length + completions[i].Count);
        Width = Math.Max(1, completions.Max(t => t.Count));
        _input = new long[Count * Length];
        var positions = completions.Sum(c => c.Count);
        (_sources, _targets, _destinations) = (new long[positions], new long[positions], new long[positions]);
        var k = 0;
        for (var i = 0; i < Count; i++)
        {
            var (prompt, tokens) = (prompts[i], completions[i]);
            for (var t = 0; t < prompt.Length; t++) _input[i * Length + t] = prompt[t];
            for (var t = 0; t < tokens.Count; t++, k++)
            {
                _input[i * Length + prompt.Length + t] = tokens[t];
                _sources[k] = i * Length + prompt.Length - 1 + t;
                _targets[k] = tokens[t];
                _destinations[k] = i * Width + t;
            }
        }
    }

    /// <summary>Sequences in the batch.</summary>
    public int Count { get; }

    /// <summary>The longest prompt with its completion: the batch's sequence length.</summary>
    public int Length { get; }

    /// <summary>The longest completion (at least 1): the width of the scores.</summary>
    public int Width { get; }

    /// <summary>Completion tokens scored.</summary>
    public int Positions => _targets.Length;

    /// <summary>
    /// Log-probabilities and entropies [Count, Width] of every completion token (0 past each completion's end), from the
    /// model's final hidden states through the vocabulary head, <paramref name="chunk"/> positions at a time (<see cref="TokenScoring"/>).
    /// </summary>
    /// <param name="hidden">Final hidden states [B, T, H] of ids [B, T].</param>
    /// <param name="head">The output projection [V', H]; rows past <paramref name="vocabulary"/> are never a choice.</param>
    public TokenScores Score(Func<Tensor, Tensor> hidden, Tensor head, int vocabulary, int chunk, bool recompute)
    {
        using var scope = NewDisposeScope();
        var device = head.device;
        var states = hidden(tensor(_input, [Count, Length], device: device));
        var picked = states.reshape(Count * Length, -1).index_select(0, tensor(_sources, device: device));
        var scores = TokenScoring.LogProbsAndEntropy(picked, head, vocabulary, tensor(_targets, device: device), chunk, recompute);
        var full = zeros([Count * Width, 2], device: device).index_copy(0, tensor(_destinations, device: device), scores).view(Count, Width, 2);
        return new TokenScores(full.select(2, 0).MoveToOuterDisposeScope(), full.select(2, 1).MoveToOuterDisposeScope());
    }
}
