namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// Relations by their solutions: when two relations hold for the same values, and the interval or set a relation in
/// one variable solves to. Stands in for SymPy's <c>solve</c> in Math-Verify's relation comparison.
/// </summary>
internal static class RelationSets
{
    private static readonly MathNode Infinity = new ConstantNode(MathConstant.Infinity);
    private static readonly MathNode MinusInfinity = new NegationNode(new ConstantNode(MathConstant.Infinity));

    /// <summary>
    /// Whether gl gop gr and al aop ar have the same solutions: the same operator over equal differences, the flipped one
    /// over opposite differences, or differences that are proportional (by a positive factor for an inequality kept, a
    /// negative one for an inequality flipped; any non-zero factor for = and ≠).
    /// </summary>
    public static bool SameSolutions(MathNode gl, RelationKind gop, MathNode gr, MathNode al, RelationKind aop, MathNode ar)
    {
        MathNode gold = new SumNode([gl, new NegationNode(gr)]);
        MathNode answer = new SumNode([al, new NegationNode(ar)]);
        var flipped = Flip(gop) == aop;
        if (gop != aop && !flipped) return false;
        if (gop == aop && MathEquivalence.Same(gold, answer, 1)) return true;
        if (flipped && MathEquivalence.Same(gold, new NegationNode(answer), 1)) return true;
        if (Ratio(gold, answer) is not { } ratio) return false;
        return gop switch
        {
            RelationKind.Equal or RelationKind.NotEqual => true,
            _ => gop == aop ? ratio > 0 : ratio < 0,
        };
    }

    private static RelationKind Flip(RelationKind kind) => kind switch
    {
        RelationKind.Less => RelationKind.Greater,
        RelationKind.Greater => RelationKind.Less,
        RelationKind.LessOrEqual => RelationKind.GreaterOrEqual,
        RelationKind.GreaterOrEqual => RelationKind.LessOrEqual,
        _ => kind,
    };

    /// <summary>The constant real c with a = c·b at every evaluation point (at least two), or null.</summary>
    private static double? Ratio(MathNode a, MathNode b)
    {
        double? ratio = null;
        var defined = 0;
        for (var point = 0; point < 8 && defined < 4; point++)
        {
            Scalar at(string name) => Scalar.Exact(MathEquivalence.PointValue(name, point));
            var x = Evaluation.Of(a, at);
            var y = Evaluation.Of(b, at);
            if (!x.IsDefined || !y.IsDefined) continue;
            var q = x / y;
            if (!q.IsDefined) continue;
            var c = q.ToComplex();
            if (c.Imaginary != 0 || c.Real == 0 || double.IsInfinity(c.Real)) return null;
            if (ratio is { } r && Math.Abs(r - c.Real) > 1e-9 * Math.Max(1, Math.Abs(r))) return null;
            ratio = c.Real;
            defined++;
        }
        return defined >= 2 ? ratio : null;
    }

    /// <summary>The set a relation in one variable solves to ("x > 3" is (3, ∞); "1 &lt; x ≤ 2" is (1, 2]; "x = 4" is {4}), or null.</summary>
    public static MathNode? AsSet(RelationNode relation)
    {
        var operands = relation.Operands;
        if (operands.Count == 2)
        {
            var (variable, bound, kind) = operands[0] is SymbolNode && IsConstant(operands[1]) ? (operands[0], operands[1], relation.Operators[0])
                : operands[1] is SymbolNode && IsConstant(operands[0]) ? (operands[1], operands[0], Flip(relation.Operators[0]))
                : (null, null, RelationKind.Equal);
            if (variable is null || bound is null) return null;
            return kind switch
            {
                RelationKind.Less => new IntervalNode(MinusInfinity, bound, true, true),
                RelationKind.LessOrEqual => new IntervalNode(MinusInfinity, bound, true, false),
                RelationKind.Greater => new IntervalNode(bound, Infinity, true, true),
                RelationKind.GreaterOrEqual => new IntervalNode(bound, Infinity, false, true),
                RelationKind.Equal => new CollectionNode(CollectionKind.Set, [bound]),
                _ => new UnionNode([new IntervalNode(MinusInfinity, bound, true, true), new IntervalNode(bound, Infinity, true, true)]),
            };
        }
        if (operands.Count == 3 && operands[1] is SymbolNode && IsConstant(operands[0]) && IsConstant(operands[2]))
        {
            var (first, second) = (relation.Operators[0], relation.Operators[1]);
            if (first is RelationKind.Less or RelationKind.LessOrEqual && second is RelationKind.Less or RelationKind.LessOrEqual)
                return new IntervalNode(operands[0], operands[2], first == RelationKind.Less, second == RelationKind.Less);
            if (first is RelationKind.Greater or RelationKind.GreaterOrEqual && second is RelationKind.Greater or RelationKind.GreaterOrEqual)
                return new IntervalNode(operands[2], operands[0], second == RelationKind.Greater, first == RelationKind.Greater);
        }
        return null;
    }

    private static bool IsConstant(MathNode node) => Evaluation.Of(node, _ => Scalar.Undefined).IsDefined;
}
