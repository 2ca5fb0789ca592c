using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>Picks the next token of every row from its logits: greedy at temperature 0, else nucleus sampling.</summary>
public static class TokenChooser
{
    /// <summary>Returns [B] token ids chosen from [B, V] next-token logits.</summary>
    public static Tensor Choose(Tensor logits, double temperature, double topP, Generator generator)
    {
        using var scope = NewDisposeScope();
        if (temperature <= 0) return logits.argmax(-1).MoveToOuterDisposeScope();
        var probabilities = nn.functional.softmax(logits / temperature, -1);
        if (topP >= 1)
            return probabilities.multinomial(1, true, generator).squeeze(-1).MoveToOuterDisposeScope();
        var (sorted, order) = probabilities.sort(-1, descending: true, stable: true);
        // Keep the smallest prefix of most likely tokens whose mass reaches topP (the first is always kept).
        var massBefore = sorted.cumsum(-1) - sorted;
        var kept = sorted.masked_fill(massBefore.gt(topP), 0);
        var pick = kept.multinomial(1, true, generator);
        return order.gather(-1, pick).squeeze(-1).MoveToOuterDisposeScope();
    }
}
