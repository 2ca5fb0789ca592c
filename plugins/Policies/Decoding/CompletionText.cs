namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// How a policy's token ids become a completion: which ids end it (not part of its text), the text after which it
/// stops, and its text.
/// </summary>
/// <param name="IsEnd">Whether an id ends the completion (an end-of-text or end-of-sequence id).</param>
/// <param name="Decode">The text of ids.</param>
/// <param name="Stop">Generation also stops once the text contains this; empty for none.</param>
/// <param name="TokensPerCharacter">The most tokens one character can take (1 for characters, 4 for byte-level BPE), which
/// bounds how far back a stop completed by the last token can start.</param>
/// <param name="TokenString">How the vocabulary writes one id, for <see cref="Harness.Abstractions.SampledCompletion.TokenStrings"/>; null leaves them empty.</param>
public sealed record CompletionText(Func<int, bool> IsEnd, Func<IEnumerable<int>, string> Decode, string Stop, int TokensPerCharacter, Func<int, string>? TokenString = null)
{
    /// <summary>
    /// Whether the tokens so far contain the stop text. A BPE token may carry text past it ("&lt;/answer&gt;\n"), so it is
    /// looked for, not matched at the end, and only in the last tokens' text, where a stop completed by the last
    /// token must lie: a step costs no decode of the whole completion.
    /// </summary>
    public bool Stops(List<int> tokens)
    {
        if (Stop.Length == 0) return false;
        var window = TokensPerCharacter * (Stop.Length + 1);
        return Decode(tokens.Skip(Math.Max(0, tokens.Count - window))).Contains(Stop, StringComparison.Ordinal);
    }

    /// <summary>The completion's text, without a final ending id.</summary>
    public string Of(List<int> tokens) => Decode(tokens.Count > 0 && IsEnd(tokens[^1]) ? tokens.Take(tokens.Count - 1) : tokens);
}
