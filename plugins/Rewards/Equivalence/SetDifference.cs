namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// A \ B where A is an interval (ℝ included) and B a finite set or an interval with numeric ends: the intervals that
/// remain, so "\mathbb{R} \setminus \{2\}" equals "(-\infty, 2) \cup (2, \infty)". Null for anything else.
/// </summary>
internal static class SetDifference
{
    public static MathNode? Of(MathNode from, MathNode remove)
    {
        if (from is not IntervalNode whole) return null;
        var cuts = remove switch
        {
            CollectionNode { Kind: CollectionKind.Set or CollectionKind.List } c => c.Items.Select(i => (Low: i, High: i, LowOpen: false, HighOpen: false)).ToList(),
            IntervalNode i => [(i.Low, i.High, i.LowOpen, i.HighOpen)],
            EmptySetNode => [],
            _ => null,
        };
        if (cuts is null || cuts.Any(c => Value(c.Low) is null || Value(c.High) is null)) return null;
        cuts.Sort((a, b) => Value(a.Low)!.Value.CompareTo(Value(b.Low)!.Value));
        var parts = new List<MathNode>();
        var (low, lowOpen) = (whole.Low, whole.LowOpen);
        foreach (var cut in cuts)
        {
            parts.Add(new IntervalNode(low, cut.Low, lowOpen, !cut.LowOpen));
            (low, lowOpen) = (cut.High, !cut.HighOpen);
        }
        parts.Add(new IntervalNode(low, whole.High, lowOpen, whole.HighOpen));
        return parts.Count == 1 ? parts[0] : new UnionNode(parts);
    }

    private static double? Value(MathNode node)
    {
        var value = Evaluation.Of(node, _ => Scalar.Undefined).ToComplex();
        return double.IsNaN(value.Real) || value.Imaginary != 0 ? null : value.Real;
    }
}
