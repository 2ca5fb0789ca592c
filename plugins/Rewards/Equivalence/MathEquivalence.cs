namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// Whether an answer equals a gold as mathematics. Both are cleaned (<see cref="AnswerLatex"/>) and parsed
/// (<see cref="LatexParser"/>), then compared the way Math-Verify's grader decides (huggingface/Math-Verify,
/// <c>src/math_verify/grader.py</c>), with exact arithmetic in place of SymPy:
/// <list type="bullet">
/// <item>the same text, or the same parsed form, is equal;</item>
/// <item>an equation answer to a gold that is not one counts by its last right-hand side ("x = 5" for 5); a gold
/// assignment ("x = 5") against a plain answer counts by its value;</item>
/// <item>numbers compare exactly as big-integer rationals; when either side is a decimal literal both are rounded to
/// six places first (1/3 equals 0.333333, not 0.33);</item>
/// <item>expressions with variables are equal when they agree at several rational points, exactly where the
/// arithmetic stays rational and within a relative 1e-9 where it does not (roots, π, logarithms, trigonometry);</item>
/// <item>sets and lists compare unordered, tuples in order, intervals by their ends and end types, matrices entry by
/// entry; a value equals the set holding only it;</item>
/// <item>relations are equal when they have the same solutions: the same or flipped operator over differences that
/// are proportional (positively for inequalities); a gold inequality in one variable equals the interval it solves to;</item>
/// <item>words compare ignoring case and spaces (\text{Monday} and Monday).</item>
/// </list>
/// Every step is bounded (token count, nesting, number sizes, evaluation points), so a comparison takes microseconds.
/// </summary>
public static class MathEquivalence
{
    private const int MaxDepth = 12;
    private const int Points = 4;

    /// <summary>Whether <paramref name="answer"/> (as a completion gives it) equals <paramref name="gold"/> as mathematics.</summary>
    public static bool Equivalent(string answer, string gold) => new GoldAnswer(gold).Matches(answer);

    /// <summary>Whether two cleaned texts are the same but for case and the length of white space runs.</summary>
    internal static bool SameText(string a, string g)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < g.Length)
        {
            if (char.IsWhiteSpace(a[i]) && char.IsWhiteSpace(g[j]))
            {
                while (i < a.Length && char.IsWhiteSpace(a[i])) i++;
                while (j < g.Length && char.IsWhiteSpace(g[j])) j++;
                continue;
            }
            if (char.ToLowerInvariant(a[i++]) != char.ToLowerInvariant(g[j++])) return false;
        }
        return i == a.Length && j == g.Length;
    }

    /// <summary>Whether a parsed answer equals a parsed gold (the order matters: the gold's form decides).</summary>
    public static bool Same(MathNode gold, MathNode answer, int depth)
    {
        if (depth > MaxDepth) return false;
        var goldEquation = IsEquation(gold);
        var answerEquation = IsEquation(answer);
        var goldAssignment = goldEquation && IsOnlySymbols(((RelationNode)gold).Operands[0]);
        if (goldAssignment) gold = Assignment((RelationNode)gold);
        if (answerEquation && IsOnlySymbols(((RelationNode)answer).Operands[0])) answer = Assignment((RelationNode)answer);
        if (answerEquation && !goldEquation) answer = ((RelationNode)answer).Operands[^1];
        else if (goldAssignment && !answerEquation) gold = ((RelationNode)gold).Operands[^1];

        if (gold is RelationNode relation && IsSetLike(answer) && RelationSets.AsSet(relation) is { } solved) gold = solved;
        if (SameForm(gold, answer)) return true;

        if (gold is RelationNode g && answer is RelationNode a) return SameRelation(g, a, depth);
        if (gold is RelationNode || answer is RelationNode) return false;
        if (IsSetLike(gold) || IsSetLike(answer)) return SameSet(gold, answer, depth);
        if (gold is MatrixNode gm || answer is MatrixNode) return gold is MatrixNode m && answer is MatrixNode am && SameMatrix(m, am, depth);
        if (Words(gold) is { } gw && Words(answer) is { } aw && string.Equals(gw, aw, StringComparison.OrdinalIgnoreCase)) return true;
        return SameValue(gold, answer);
    }

    private static bool IsEquation(MathNode node) => node is RelationNode r && r.Operators.All(o => o == RelationKind.Equal);

    private static RelationNode Assignment(RelationNode r) =>
        r.Operands.Count == 2 ? r : new RelationNode([r.Operands[0], r.Operands[^1]], [RelationKind.Equal]);

    /// <summary>Made of variables alone ("x", "a+b", "xy", "(a, b)"), as Math-Verify tells an assignment's left side.</summary>
    internal static bool IsOnlySymbols(MathNode node) => node switch
    {
        SymbolNode => true,
        SumNode s => s.Terms.All(IsOnlySymbols),
        ProductNode p => p.Factors.All(IsOnlySymbols),
        QuotientNode q => IsOnlySymbols(q.Numerator) && IsOnlySymbols(q.Denominator),
        CollectionNode c => c.Items.All(IsOnlySymbols),
        IntervalNode i => IsOnlySymbols(i.Low) && IsOnlySymbols(i.High),
        _ => false,
    };

    private static bool IsSetLike(MathNode node) => node is CollectionNode or IntervalNode or UnionNode or EmptySetNode;

    /// <summary>
    /// Numbers and expressions: no variables, evaluate both (rounded to six places when either is a decimal literal);
    /// with variables, agree at every point where both are defined, at least two of them.
    /// </summary>
    private static bool SameValue(MathNode gold, MathNode answer)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Symbols(gold, names);
        Symbols(answer, names);
        if (names.Count == 0)
        {
            Scalar none(string _) => Scalar.Undefined;
            var g = Evaluation.Of(gold, none);
            var a = Evaluation.Of(answer, none);
            if (!g.IsDefined || !a.IsDefined) return false;
            return IsDecimalLiteral(gold) || IsDecimalLiteral(answer) ? SameRounded(g, a) : Scalar.Same(g, a);
        }
        var defined = 0;
        for (var point = 0; point < Points * 2 && defined < Points; point++)
        {
            Scalar at(string name) => Scalar.Exact(PointValue(name, point));
            var g = Evaluation.Of(gold, at);
            var a = Evaluation.Of(answer, at);
            if (!g.IsDefined || !a.IsDefined) continue;
            if (!Scalar.Same(g, a)) return false;
            defined++;
        }
        return defined >= 2;
    }

    /// <summary>
    /// A variable's value at one evaluation point: a small rational, different per name and point, negative at odd
    /// points (variables are real: √(x²) is |x|, not x, and ln(x²) is not 2 ln x).
    /// </summary>
    internal static Rational PointValue(string name, int point)
    {
        var hash = 17;
        foreach (var c in name) hash = unchecked(hash * 31 + c);
        hash &= 0x7FFFFFFF;
        var numerator = 2 + (hash + 7 * point) % 23;
        var denominator = 3 + (hash / 23 + 5 * point) % 11;
        return Rational.TryCreate(point % 2 == 1 ? -numerator : numerator, denominator, out var value) ? value : Rational.One;
    }

    private static bool IsDecimalLiteral(MathNode node) => node is NumberNode { IsFloat: true } or PercentNode { Operand: NumberNode { IsFloat: true } };

    private static bool SameRounded(Scalar a, Scalar b)
    {
        if (a.IsExactReal && b.IsExactReal) return a.Real.Round(6).Equals(b.Real.Round(6));
        var x = a.ToComplex();
        var y = b.ToComplex();
        if (x.Imaginary != 0 || y.Imaginary != 0) return false;
        if (Math.Abs(x.Real) > 1e9 || Math.Abs(y.Real) > 1e9) return Scalar.Same(a, b);
        return Math.Abs(Math.Round(x.Real, 6, MidpointRounding.AwayFromZero) - Math.Round(y.Real, 6, MidpointRounding.AwayFromZero)) < 1e-9;
    }

    private static void Symbols(MathNode node, SortedSet<string> names)
    {
        switch (node)
        {
            case SymbolNode s: names.Add(s.Name); break;
            case SumNode s: foreach (var t in s.Terms) Symbols(t, names); break;
            case ProductNode p: foreach (var f in p.Factors) Symbols(f, names); break;
            case NegationNode n: Symbols(n.Operand, names); break;
            case QuotientNode q: Symbols(q.Numerator, names); Symbols(q.Denominator, names); break;
            case PowerNode p: Symbols(p.Base, names); Symbols(p.Exponent, names); break;
            case PercentNode p: Symbols(p.Operand, names); break;
            case FunctionNode f: foreach (var a in f.Arguments) Symbols(a, names); break;
            case MatrixNode m: foreach (var row in m.Rows) foreach (var c in row) Symbols(c, names); break;
        }
    }

    /// <summary>The words a node spells: \text{…}, a variable's name, or letters written side by side ("yes" is y·e·s).</summary>
    private static string? Words(MathNode node) => node switch
    {
        SymbolNode s => s.Name,
        ConstantNode { Constant: MathConstant.E } => "e",
        ConstantNode { Constant: MathConstant.I } => "i",
        ProductNode p when p.Factors.All(f => f is SymbolNode or ConstantNode { Constant: MathConstant.E or MathConstant.I }) =>
            string.Concat(p.Factors.Select(Words)),
        _ => null,
    };

    private static bool SameMatrix(MatrixNode gold, MatrixNode answer, int depth) =>
        gold.Rows.Count == answer.Rows.Count
        && gold.Rows.Zip(answer.Rows).All(rows => rows.First.Count == rows.Second.Count && rows.First.Zip(rows.Second).All(c => Same(c.First, c.Second, depth + 1)));

    private static bool SameRelation(RelationNode gold, RelationNode answer, int depth)
    {
        if (gold.Operators.Count != answer.Operators.Count) return false;
        for (var i = 0; i < gold.Operators.Count; i++)
            if (!RelationSets.SameSolutions(gold.Operands[i], gold.Operators[i], gold.Operands[i + 1], answer.Operands[i], answer.Operators[i], answer.Operands[i + 1]))
                return false;
        return true;
    }

    private static bool SameSet(MathNode gold, MathNode answer, int depth)
    {
        var g = SetView.Of(gold);
        var a = SetView.Of(answer);
        if (g.Kind == SetKind.Empty || a.Kind == SetKind.Empty) return g.Kind == a.Kind;
        if (g.Kind == SetKind.Interval && a.Kind == SetKind.Interval)
        {
            var gi = (IntervalNode)g.Node;
            var ai = (IntervalNode)a.Node;
            // An end at ±∞ is open however it is bracketed: [0, ∞] is [0, ∞).
            return (gi.LowOpen || IsInfinite(gi.Low)) == (ai.LowOpen || IsInfinite(ai.Low)) && (gi.HighOpen || IsInfinite(gi.High)) == (ai.HighOpen || IsInfinite(ai.High))
                && Same(gi.Low, ai.Low, depth + 1) && Same(gi.High, ai.High, depth + 1);
        }
        // An open interval is also the pair it is written as: "(1, 2)" equals the list "1, 2".
        if (g.Kind == SetKind.Interval && a.Kind == SetKind.Items && g.AsPair() is { } gp) g = gp;
        if (a.Kind == SetKind.Interval && g.Kind == SetKind.Items && a.AsPair() is { } ap) a = ap;
        if (g.Kind == SetKind.Union && a.Kind == SetKind.Union) return SameItems(g.Items, a.Items, ordered: false, depth, SameSet);
        if (g.Kind != SetKind.Items || a.Kind != SetKind.Items) return false;
        // A tuple gold against a listed answer takes the answer in its written order, its repeats dropped: (4, 4) is not {4, 4}.
        var answerItems = g.Ordered && !a.Ordered ? Distinct(a.Items, depth, Same) : a.Items;
        return SameItems(g.Items, answerItems, g.Ordered, depth, Same);
    }

    private static bool IsInfinite(MathNode node) => node is ConstantNode { Constant: MathConstant.Infinity } or NegationNode { Operand: ConstantNode { Constant: MathConstant.Infinity } };

    private static bool SameItems(IReadOnlyList<MathNode> gold, IReadOnlyList<MathNode> answer, bool ordered, int depth, Func<MathNode, MathNode, int, bool> same)
    {
        if (ordered) return gold.Count == answer.Count && gold.Zip(answer).All(p => same(p.First, p.Second, depth + 1));
        var g = Distinct(gold, depth, same);
        var a = Distinct(answer, depth, same);
        if (g.Count != a.Count) return false;
        var used = new bool[a.Count];
        foreach (var item in g)
        {
            var match = -1;
            for (var j = 0; j < a.Count && match < 0; j++)
                if (!used[j] && same(item, a[j], depth + 1)) match = j;
            if (match < 0) return false;
            used[match] = true;
        }
        return true;
    }

    private static List<MathNode> Distinct(IReadOnlyList<MathNode> items, int depth, Func<MathNode, MathNode, int, bool> same)
    {
        var distinct = new List<MathNode>();
        foreach (var item in items)
            if (!distinct.Any(d => same(d, item, depth + 1))) distinct.Add(item);
        return distinct;
    }

    /// <summary>Whether two nodes are written alike (the fast path: equal forms are equal answers; it also decides what evaluation cannot).</summary>
    internal static bool SameForm(MathNode a, MathNode b) => (a, b) switch
    {
        (NumberNode x, NumberNode y) => x.IsFloat == y.IsFloat && x.Value.Equals(y.Value),
        (SymbolNode x, SymbolNode y) => x.Name == y.Name,
        (ConstantNode x, ConstantNode y) => x.Constant == y.Constant,
        (SumNode x, SumNode y) => SameForms(x.Terms, y.Terms),
        (ProductNode x, ProductNode y) => SameForms(x.Factors, y.Factors),
        (NegationNode x, NegationNode y) => SameForm(x.Operand, y.Operand),
        (QuotientNode x, QuotientNode y) => SameForm(x.Numerator, y.Numerator) && SameForm(x.Denominator, y.Denominator),
        (PowerNode x, PowerNode y) => SameForm(x.Base, y.Base) && SameForm(x.Exponent, y.Exponent),
        (PercentNode x, PercentNode y) => SameForm(x.Operand, y.Operand),
        (FunctionNode x, FunctionNode y) => x.Name == y.Name && SameForms(x.Arguments, y.Arguments),
        (RelationNode x, RelationNode y) => x.Operators.SequenceEqual(y.Operators) && SameForms(x.Operands, y.Operands),
        (CollectionNode x, CollectionNode y) => x.Kind == y.Kind && SameForms(x.Items, y.Items),
        (IntervalNode x, IntervalNode y) => x.LowOpen == y.LowOpen && x.HighOpen == y.HighOpen && SameForm(x.Low, y.Low) && SameForm(x.High, y.High),
        (UnionNode x, UnionNode y) => SameForms(x.Parts, y.Parts),
        (EmptySetNode, EmptySetNode) => true,
        (MatrixNode x, MatrixNode y) => x.Rows.Count == y.Rows.Count && x.Rows.Zip(y.Rows).All(r => SameForms(r.First, r.Second)),
        _ => false,
    };

    private static bool SameForms(IReadOnlyList<MathNode> a, IReadOnlyList<MathNode> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (!SameForm(a[i], b[i])) return false;
        return true;
    }
}
