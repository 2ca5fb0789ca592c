namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>A gold answer cleaned and parsed once, to judge every completion of its prompt group against.</summary>
public sealed class GoldAnswer
{
    private readonly string _cleaned;
    private readonly MathNode? _parsed;

    public GoldAnswer(string gold)
    {
        _cleaned = AnswerLatex.Clean(gold);
        _parsed = _cleaned.Length == 0 ? null : LatexParser.TryParse(_cleaned);
    }

    /// <summary>Whether <paramref name="answer"/> equals this gold as mathematics (see <see cref="MathEquivalence"/>).</summary>
    public bool Matches(string answer)
    {
        var cleaned = AnswerLatex.Clean(answer);
        if (cleaned.Length == 0 || _cleaned.Length == 0) return false;
        if (MathEquivalence.SameText(cleaned, _cleaned)) return true;
        return _parsed is not null && LatexParser.TryParse(cleaned) is { } parsed && MathEquivalence.Same(_parsed, parsed, 0);
    }
}
