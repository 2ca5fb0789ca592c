namespace Harness.Plugins.Rewards.Equivalence;

internal enum SetKind { Items, Interval, Union, Empty }

/// <summary>
/// A node seen as a set, as Math-Verify's grader sees sets: listed items (ordered for a tuple), an interval, a union
/// or the empty set. Anything else is the set holding only it. Brackets around two numbers that cannot be an interval
/// ("(2, 1)", or "[3, 1]") are an ordered pair, as latex2sympy reads them.
/// </summary>
internal sealed record SetView(SetKind Kind, MathNode Node, IReadOnlyList<MathNode> Items, bool Ordered)
{
    public static SetView Of(MathNode node) => node switch
    {
        EmptySetNode => new SetView(SetKind.Empty, node, [], false),
        CollectionNode c => new SetView(SetKind.Items, node, c.Items, c.Kind == CollectionKind.Tuple),
        IntervalNode i when IsPair(i) => Pair(i),
        IntervalNode => new SetView(SetKind.Interval, node, [], false),
        UnionNode u => Unions.Merge(u) is UnionNode merged ? new SetView(SetKind.Union, merged, merged.Parts, false) : Of(Unions.Merge(u)),
        _ => new SetView(SetKind.Items, node, [node], false),
    };

    /// <summary>An open interval as the ordered pair of its ends, or null for an interval with a closed end.</summary>
    public SetView? AsPair() => Node is IntervalNode { LowOpen: true, HighOpen: true } i ? Pair(i) : null;

    private static SetView Pair(IntervalNode i) => new(SetKind.Items, i, [i.Low, i.High], true);

    private static bool IsPair(IntervalNode i)
    {
        if (i.LowOpen != i.HighOpen) return false;
        Scalar none(string _) => Scalar.Undefined;
        var low = Evaluation.Of(i.Low, none).ToComplex();
        var high = Evaluation.Of(i.High, none).ToComplex();
        if (double.IsNaN(low.Real) || double.IsNaN(high.Real) || low.Imaginary != 0 || high.Imaginary != 0) return false;
        return i.LowOpen ? high.Real <= low.Real : high.Real < low.Real;
    }
}
