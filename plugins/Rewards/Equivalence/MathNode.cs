namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>An answer parsed into mathematics: a number, an expression, a relation, a set, an interval or a matrix.</summary>
public abstract record MathNode;

/// <summary>A number as written; <paramref name="IsFloat"/> when written with a decimal point or an exponent ("0.5", "1e3").</summary>
public sealed record NumberNode(Rational Value, bool IsFloat) : MathNode;

/// <summary>A variable, lower-cased (as Math-Verify does): "x", "x_1", "alpha"; also the words of <c>\text{…}</c>, spaces and parentheses dropped ("monday", "c").</summary>
public sealed record SymbolNode(string Name) : MathNode;

/// <summary>π, Euler's e, the imaginary unit i, or ∞.</summary>
public sealed record ConstantNode(MathConstant Constant) : MathNode;

public enum MathConstant { Pi, E, I, Infinity }

/// <summary>A sum of terms; a subtraction is a sum with a negated term.</summary>
public sealed record SumNode(IReadOnlyList<MathNode> Terms) : MathNode;

/// <summary>A product of factors, in the order written (implicit products of letters spell words: "yes").</summary>
public sealed record ProductNode(IReadOnlyList<MathNode> Factors) : MathNode;

public sealed record NegationNode(MathNode Operand) : MathNode;

public sealed record QuotientNode(MathNode Numerator, MathNode Denominator) : MathNode;

public sealed record PowerNode(MathNode Base, MathNode Exponent) : MathNode;

/// <summary>
/// A function applied to arguments: sqrt (value, index), sin, cos, tan, sec, csc, cot, asin, acos, atan, sinh, cosh,
/// tanh, exp, log (value, base), abs, floor, ceil, factorial, binom, gcd, lcm, max, min; any other name is an unknown
/// function, compared by name and arguments.
/// </summary>
public sealed record FunctionNode(string Name, IReadOnlyList<MathNode> Arguments) : MathNode;

/// <summary>A percentage, <c>x\%</c>: the value x/100.</summary>
public sealed record PercentNode(MathNode Operand) : MathNode;

/// <summary>A relation, possibly chained: operands[0] op[0] operands[1] op[1] …</summary>
public sealed record RelationNode(IReadOnlyList<MathNode> Operands, IReadOnlyList<RelationKind> Operators) : MathNode;

public enum RelationKind { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

/// <summary>A set in braces, a bare list (compared as a set, as Math-Verify does) or a tuple of three or more.</summary>
public sealed record CollectionNode(CollectionKind Kind, IReadOnlyList<MathNode> Items) : MathNode;

public enum CollectionKind { Set, List, Tuple }

/// <summary>
/// Two values in brackets: an interval with open or closed ends, or, when its ends are numbers in decreasing order
/// (or equal with an open end), an ordered pair.
/// </summary>
public sealed record IntervalNode(MathNode Low, MathNode High, bool LowOpen, bool HighOpen) : MathNode;

/// <summary>A union of intervals and sets.</summary>
public sealed record UnionNode(IReadOnlyList<MathNode> Parts) : MathNode;

/// <summary>The empty set.</summary>
public sealed record EmptySetNode : MathNode;

/// <summary>A matrix, row by row.</summary>
public sealed record MatrixNode(IReadOnlyList<IReadOnlyList<MathNode>> Rows) : MathNode;
