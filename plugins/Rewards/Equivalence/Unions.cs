namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// A union in its simplest form, so unions compare by the set they are: nested unions flattened, listed points
/// gathered, and, where every end is a number, overlapping or touching intervals joined and points inside an interval
/// (or closing its open end) absorbed: "[0, 1] ∪ [1, 2]" is [0, 2], "\{1\} ∪ \{2\}" is \{1, 2\}.
/// </summary>
internal static class Unions
{
    private sealed record Piece(MathNode Low, MathNode High, double LowValue, double HighValue, bool LowOpen, bool HighOpen);

    public static MathNode Merge(UnionNode union)
    {
        var parts = new List<MathNode>();
        Flatten(union, parts);
        var pieces = new List<Piece>();
        var points = new List<(MathNode Node, double Value)>();
        foreach (var part in parts)
        {
            if (part is EmptySetNode) continue;
            if (part is IntervalNode i && Value(i.Low) is { } low && Value(i.High) is { } high && low < high)
                pieces.Add(new Piece(i.Low, i.High, low, high, i.LowOpen, i.HighOpen));
            else if (Items(part) is { } items && items.All(x => Value(x) is not null))
                points.AddRange(items.Select(x => (x, Value(x)!.Value)));
            else
                return parts.Count == 1 ? parts[0] : new UnionNode(parts);
        }
        pieces.Sort((a, b) => a.LowValue.CompareTo(b.LowValue));
        var merged = new List<Piece>();
        foreach (var piece in pieces)
        {
            var current = piece;
            foreach (var (node, value) in points)
            {
                if (Close(value, current.LowValue)) current = current with { LowOpen = false };
                if (Close(value, current.HighValue)) current = current with { HighOpen = false };
            }
            if (merged.Count > 0 && Touches(merged[^1], current))
            {
                var last = merged[^1];
                merged[^1] = current.HighValue > last.HighValue || (Close(current.HighValue, last.HighValue) && !current.HighOpen)
                    ? last with { High = current.High, HighValue = current.HighValue, HighOpen = current.HighOpen }
                    : last;
            }
            else merged.Add(current);
        }
        var loose = points.Where(p => !merged.Any(m => Inside(m, p.Value))).Select(p => p.Node).ToList();
        var result = merged.Select(m => (MathNode)new IntervalNode(m.Low, m.High, m.LowOpen, m.HighOpen)).ToList();
        if (loose.Count > 0) result.Add(new CollectionNode(CollectionKind.Set, loose));
        return result.Count switch
        {
            0 => new EmptySetNode(),
            1 => result[0],
            _ => new UnionNode(result),
        };
    }

    private static void Flatten(MathNode node, List<MathNode> parts)
    {
        if (node is UnionNode u) foreach (var part in u.Parts) Flatten(part, parts);
        else parts.Add(node);
    }

    private static IReadOnlyList<MathNode>? Items(MathNode node) => node switch
    {
        CollectionNode { Kind: CollectionKind.Set or CollectionKind.List } c => c.Items,
        CollectionNode or IntervalNode or MatrixNode or RelationNode => null,
        _ => [node],
    };

    private static bool Touches(Piece left, Piece right) =>
        right.LowValue < left.HighValue && !Close(right.LowValue, left.HighValue) || (Close(right.LowValue, left.HighValue) && !(left.HighOpen && right.LowOpen));

    private static bool Inside(Piece piece, double value) =>
        (value > piece.LowValue || (Close(value, piece.LowValue) && !piece.LowOpen)) && (value < piece.HighValue || (Close(value, piece.HighValue) && !piece.HighOpen));

    private static bool Close(double a, double b) => a == b || Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a));

    private static double? Value(MathNode node)
    {
        var value = Evaluation.Of(node, _ => Scalar.Undefined).ToComplex();
        return double.IsNaN(value.Real) || value.Imaginary != 0 ? null : value.Real;
    }
}
