namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// A model's forward pass as autoregressive decoding uses it: rows start from their prompts, then grow one token at a
/// time, and every call leaves each active row's next-token logits on the host. A row left out of a call has finished
/// and is never fed again, so a decoder may drop its state.
/// </summary>
public interface IRowDecoder : IDisposable
{
    /// <summary>The width of a logits row: the ids a token may be chosen from.</summary>
    int Vocabulary { get; }

    /// <summary>Reads every row's prompt and writes row r's next-token logits at r × <see cref="Vocabulary"/>.</summary>
    void Start(int[][] prompts, Span<float> logits);

    /// <summary>Feeds row <paramref name="rows"/>[i] its next token <paramref name="tokens"/>[i] and writes its next-token
    /// logits at i × <see cref="Vocabulary"/>. Rows come in increasing order.</summary>
    void Extend(ReadOnlySpan<int> rows, ReadOnlySpan<int> tokens, Span<float> logits);
}
