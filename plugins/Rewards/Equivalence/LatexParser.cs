using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// Reads a cleaned answer (<see cref="AnswerLatex.Clean"/>) into a <see cref="MathNode"/>: comma lists, relations and
/// their chains, unions, sums, products (explicit, implicit and mixed numbers such as <c>2\frac{1}{2}</c>), powers,
/// fractions, roots, functions, absolute values, floors, percentages, factorials, sets, tuples, intervals, matrices and
/// text. Implicit products bind tighter than <c>*</c> and <c>/</c>, as in latex2sympy. Returns null for what it cannot
/// read; nesting and length are bounded, so every answer is read in microseconds.
/// </summary>
public static partial class LatexParser
{
    private const int MaxDepth = 200;

    /// <summary>The answer read, else read again repaired (unbalanced braces and brackets closed or dropped, unknown commands dropped); null when neither reads.</summary>
    public static MathNode? TryParse(string cleaned) => Read(cleaned) ?? (Repaired(cleaned) is { } repaired && repaired != cleaned ? Read(repaired) : null);

    /// <summary>
    /// "5}", "\frac{1}{2", "\left( 5", "\foo 5": closers without an opener dropped, openers left open closed, and commands
    /// the parser does not know dropped, as Math-Verify reads such answers.
    /// </summary>
    private static string? Repaired(string text)
    {
        var result = new StringBuilder(text.Length + 4);
        var open = new Stack<char>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                var end = i + 1;
                while (end < text.Length && char.IsAsciiLetter(text[end])) end++;
                var name = text[(i + 1)..end];
                if (end > i + 1 && !Known(name)) { i = end - 1; continue; }
                if (end == i + 1 && end < text.Length) end++;
                result.Append(text, i, end - i);
                i = end - 1;
                continue;
            }
            if (c is '{' or '(' or '[') open.Push(c);
            else if (c is '}' or ')' or ']')
            {
                if (open.Count == 0 || open.Peek() != (c == '}' ? '{' : c == ')' ? '(' : '[') && !(c == ')' && open.Peek() == '[') && !(c == ']' && open.Peek() == '(')) continue;
                open.Pop();
            }
            result.Append(c);
        }
        while (open.Count > 0) result.Append(open.Pop() switch { '{' => '}', '(' => ')', _ => ']' });
        return result.ToString();
    }

    private static bool Known(string command) =>
        Functions.ContainsKey(command) || Greek.Contains(command) || KnownCommands.Contains(command);

    private static readonly HashSet<string> KnownCommands =
    [
        "frac", "sqrt", "binom", "pi", "infty", "text", "boxed", "fbox", "operatorname", "lfloor", "rfloor", "lceil", "rceil", "lvert", "rvert",
        "vert", "begin", "end", "exp", "log", "ln", "lg", "sum", "prod", "mathbb", "angle", "triangle", "overline", "bar", "vec", "hat", "tilde",
        "widehat", "overrightarrow", "cdot", "times", "div", "over", "ast", "pm", "mp", "le", "leq", "leqslant", "leqq", "ge", "geq", "geqslant",
        "geqq", "lt", "gt", "ne", "neq", "in", "equiv", "coloneqq", "approx", "cup", "setminus", "backslash", "emptyset", "varnothing", "lbrace",
        "rbrace", "prime", "choose", "bmod", "mod", "Gamma",
    ];

    private static MathNode? Read(string cleaned)
    {
        if (cleaned.Length == 0) return null;
        // "1,000" as the whole answer is one number, "0,125" a decimal comma (latex2sympy's rules); else commas separate items.
        var text = !WholeNumber().IsMatch(cleaned) ? cleaned
            : cleaned.TrimStart('-').StartsWith("0,", StringComparison.Ordinal) ? cleaned.Replace(',', '.') : cleaned.Replace(",", "");
        if (LatexTokens.Split(text) is not { } tokens) return null;
        try
        {
            var reader = new Reader(tokens);
            var node = reader.Elements(EndOf.Input);
            return reader.AtEnd ? node : null;
        }
        catch (UnreadableException)
        {
            return null;
        }
    }

    private enum EndOf { Input, Paren, Brace, SetBrace, Bar, Row, Closer }

    private sealed class UnreadableException : Exception;

    private sealed class Reader(List<LatexToken> tokens)
    {
        private int _at;
        private int _depth;
        private int _bars;
        private string _closer = "";
        private int _noFunctions;

        public bool AtEnd => Peek.Kind == TokenKind.End;

        private LatexToken Peek => tokens[_at];

        private LatexToken Next() => tokens[_at++];

        private static UnreadableException Fail() => new();

        private void Enter()
        {
            if (++_depth > MaxDepth) throw Fail();
        }

        private void Expect(char symbol)
        {
            if (!Peek.IsSymbol(symbol)) throw Fail();
            _at++;
        }

        private void ExpectCommand(string name)
        {
            if (!Peek.IsCommand(name)) throw Fail();
            _at++;
        }

        /// <summary>Items separated by commas or semicolons: one item, or a list.</summary>
        public MathNode Elements(EndOf end)
        {
            Enter();
            var items = new List<MathNode>();
            if (!IsEnd(end)) items.Add(Element());
            while (Peek.IsSymbol(',') || Peek.IsSymbol(';'))
            {
                _at++;
                if (IsEnd(end)) break;
                items.Add(Element());
            }
            _depth--;
            if (items.Count == 0) throw Fail();
            return items.Count == 1 ? items[0] : new CollectionNode(CollectionKind.List, items);
        }

        private bool IsEnd(EndOf end) => Peek.Kind == TokenKind.End || end switch
        {
            EndOf.Paren => Peek.IsSymbol(')') || Peek.IsSymbol(']'),
            EndOf.Brace => Peek.IsSymbol('}'),
            EndOf.SetBrace => Peek.IsCommand("}") || Peek.IsCommand("rbrace"),
            EndOf.Bar => Peek.IsSymbol('|'),
            EndOf.Row => Peek.IsSymbol('&') || Peek.IsCommand("\\") || Peek.IsCommand("end"),
            EndOf.Closer => Peek.IsCommand(_closer),
            _ => false,
        };

        private MathNode Element()
        {
            var operands = new List<MathNode> { SetExpression() };
            var operators = new List<RelationKind>();
            while (true)
            {
                var token = Peek;
                if (token.IsCommand("approx"))
                {
                    // "x ≈ 3.14" is 3.14; "π ≈ 3.14" is π (Math-Verify keeps the exact side).
                    _at++;
                    var right = SetExpression();
                    var left = operands[^1];
                    operands[^1] = MathEquivalence.IsOnlySymbols(left) ? right : left;
                    continue;
                }
                var assignment = token.IsSymbol(':') && tokens[_at + 1].IsSymbol('=');
                if (assignment) _at++;
                if ((assignment ? RelationKind.Equal : Relation(token)) is not { } kind) break;
                _at++;
                operators.Add(kind);
                operands.Add(SetExpression());
            }
            return operators.Count == 0 ? operands[0] : new RelationNode(operands, operators);
        }

        private static RelationKind? Relation(LatexToken token) => token.Kind switch
        {
            TokenKind.Symbol => token.Text switch
            {
                "=" => RelationKind.Equal,
                "<" => RelationKind.Less,
                ">" => RelationKind.Greater,
                _ => null,
            },
            TokenKind.Command => token.Text switch
            {
                "le" or "leq" or "leqslant" or "leqq" => RelationKind.LessOrEqual,
                "ge" or "geq" or "geqslant" or "geqq" => RelationKind.GreaterOrEqual,
                "lt" => RelationKind.Less,
                "gt" => RelationKind.Greater,
                "ne" or "neq" => RelationKind.NotEqual,
                "in" or "equiv" or "coloneqq" => RelationKind.Equal,
                _ => null,
            },
            _ => null,
        };

        private MathNode SetExpression()
        {
            var first = Sum();
            if (Peek.IsCommand("setminus") || Peek.IsCommand("backslash"))
            {
                _at++;
                return SetDifference.Of(first, Sum()) ?? throw Fail();
            }
            if (!Peek.IsCommand("cup")) return first;
            var parts = new List<MathNode> { first };
            while (Peek.IsCommand("cup"))
            {
                _at++;
                parts.Add(Sum());
            }
            return new UnionNode(parts);
        }

        /// <summary>Terms joined by + and −; a ± (or ∓) makes both sums, a set of two.</summary>
        private MathNode Sum()
        {
            Enter();
            var terms = new List<MathNode> { Term() };
            List<List<MathNode>>? variants = null;
            while (true)
            {
                var token = Peek;
                MathNode term;
                if (token.IsSymbol('+')) { _at++; term = Term(); }
                else if (token.IsSymbol('-')) { _at++; term = new NegationNode(Term()); }
                else if (token.IsCommand("pm") || token.IsCommand("mp"))
                {
                    _at++;
                    variants ??= [terms];
                    if (variants.Count >= 4) throw Fail();
                    var t = Term();
                    var minus = variants.Select(v => new List<MathNode>(v) { new NegationNode(t) }).ToList();
                    foreach (var v in variants) v.Add(t);
                    variants.AddRange(minus);
                    continue;
                }
                else break;
                if (variants is null) terms.Add(term);
                else foreach (var v in variants) v.Add(term);
            }
            _depth--;
            if (variants is null) return terms.Count == 1 ? terms[0] : new SumNode(terms);
            return new CollectionNode(CollectionKind.Set, [.. variants.Select(v => v.Count == 1 ? v[0] : new SumNode(v))]);
        }

        /// <summary>Factors joined by explicit ×, ·, *, /, ÷ and : (a ratio).</summary>
        private MathNode Term()
        {
            var left = Unary();
            while (true)
            {
                var token = Peek;
                if (token.IsSymbol('*') || token.IsCommand("cdot") || token.IsCommand("times") || token.IsCommand("ast"))
                {
                    _at++;
                    left = Multiply(left, Unary());
                }
                else if (token.IsSymbol('/') || token.IsCommand("div") || token.IsCommand("over") || (token.IsSymbol(':') && !tokens[_at + 1].IsSymbol('=')))
                {
                    _at++;
                    left = new QuotientNode(left, Unary());
                }
                else if (token.IsCommand("bmod") || token.IsCommand("mod"))
                {
                    _at++;
                    left = new FunctionNode("mod", [left, Unary()]);
                }
                else return left;
            }
        }

        private static MathNode Multiply(MathNode left, MathNode right) =>
            left is ProductNode p ? new ProductNode([.. p.Factors, right]) : new ProductNode([left, right]);

        private MathNode Unary()
        {
            if (Peek.IsSymbol('-'))
            {
                _at++;
                Enter();
                var operand = Unary();
                _depth--;
                return operand is NumberNode n ? n with { Value = n.Value.Negate() } : new NegationNode(operand);
            }
            if (Peek.IsSymbol('+'))
            {
                _at++;
                return Unary();
            }
            if (Peek.IsCommand("pm"))
            {
                _at++;
                var operand = Unary();
                return new CollectionNode(CollectionKind.Set, [new NegationNode(operand), operand]);
            }
            return Implicit();
        }

        /// <summary>Juxtaposed factors, "2x", "3\sqrt{2}", "(a)(b)"; an integer before a fraction of integers is a mixed number.</summary>
        private MathNode Implicit()
        {
            var factors = new List<MathNode> { Power() };
            while (StartsFactor(Peek))
            {
                var next = Power();
                if (factors.Count == 1 && factors[0] is NumberNode { IsFloat: false, Value.IsInteger: true } whole && AsProperFraction(next) is { } fraction
                    && Rational.TryAdd(whole.Value, whole.Value.Sign < 0 ? fraction.Negate() : fraction, out var mixed))
                {
                    factors[0] = new NumberNode(mixed, false);
                    continue;
                }
                factors.Add(next);
            }
            return factors.Count == 1 ? factors[0] : new ProductNode(factors);
        }

        // A fraction of two positive integer literals, \frac{1}{2}, as a mixed number's part.
        private static Rational? AsProperFraction(MathNode node) =>
            node is QuotientNode { Numerator: NumberNode { IsFloat: false } n, Denominator: NumberNode { IsFloat: false } d }
            && n.Value.IsInteger && d.Value.IsInteger && n.Value.Sign > 0 && d.Value.Sign > 0
            && Rational.TryCreate(n.Value.Numerator, d.Value.Numerator, out var f) ? f : null;

        private bool StartsFactor(LatexToken token) => token.Kind switch
        {
            TokenKind.Number or TokenKind.Letter => true,
            TokenKind.Symbol => token.Text is "(" or "{" || (token.Text == "|" && _bars == 0),
            TokenKind.Command => StartsPrimaryCommand(token.Text) && !(_noFunctions > 0 && IsFunction(token.Text)),
            _ => false,
        };

        private static bool IsFunction(string name) => Functions.ContainsKey(name) || name is "log" or "ln" or "lg" or "exp" or "operatorname" or "sum" or "prod";

        private static bool StartsPrimaryCommand(string name) => name switch
        {
            "frac" or "sqrt" or "binom" or "pi" or "infty" or "text" or "boxed" or "fbox" or "operatorname" or "lfloor" or "lceil"
                or "lvert" or "vert" or "begin" or "left" or "{" or "exp" or "log" or "ln" or "lg" or "sum" or "prod" or "mathbb"
                or "angle" or "overline" or "bar" or "vec" or "hat" or "tilde" or "widehat" => true,
            _ => Functions.ContainsKey(name) || Greek.Contains(name),
        };

        /// <summary>A base with its postfix signs (!, %, ′) and exponent, right-associative.</summary>
        private MathNode Power()
        {
            var node = Postfix(Primary());
            if (!Peek.IsSymbol('^')) return node;
            _at++;
            Enter();
            var exponent = Argument(whole: true);
            // 2^3^2 is 2^(3^2).
            if (Peek.IsSymbol('^')) exponent = PowerTail(exponent);
            _depth--;
            return Postfix(new PowerNode(node, exponent));
        }

        private MathNode PowerTail(MathNode bas)
        {
            _at++;
            Enter();
            var exponent = Argument(whole: true);
            if (Peek.IsSymbol('^')) exponent = PowerTail(exponent);
            _depth--;
            return new PowerNode(bas, exponent);
        }

        private MathNode Postfix(MathNode node)
        {
            while (true)
            {
                if (Peek.IsSymbol('!')) { _at++; node = new FunctionNode("factorial", [node]); }
                else if (Peek.IsCommand("%") || Peek.IsSymbol('%')) { _at++; node = new PercentNode(node); }
                else if (Peek.IsSymbol('\'') || Peek.IsCommand("prime")) _at++;
                else return node;
            }
        }

        /// <summary>
        /// A command's argument: a braced group, or one token. For <c>\frac12</c> and <c>\sqrt2</c> a bare number gives
        /// one digit (TeX reads one character); after <c>^</c> it gives the whole number, as latex2sympy reads <c>2^10</c>.
        /// </summary>
        private MathNode Argument(bool whole = false)
        {
            var token = Peek;
            if (token.IsSymbol('{'))
            {
                _at++;
                var inner = Elements(EndOf.Brace);
                Expect('}');
                return inner;
            }
            if (token.Kind == TokenKind.Number && !whole && token.Text.Length > 1 && char.IsAsciiDigit(token.Text[0]))
            {
                tokens[_at] = new LatexToken(TokenKind.Number, token.Text[1..]);
                return Number(token.Text[..1]);
            }
            if (token.IsSymbol('-') && whole)
            {
                _at++;
                var operand = Argument(whole);
                return operand is NumberNode n ? n with { Value = n.Value.Negate() } : new NegationNode(operand);
            }
            return Primary();
        }

        private MathNode Primary()
        {
            Enter();
            var node = PrimaryInner();
            _depth--;
            return node;
        }

        private MathNode PrimaryInner()
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Number:
                    // A base's subscript, "1011_2", is ignored (as latex2sympy does).
                    if (Peek.IsSymbol('_')) Subscript();
                    return Number(token.Text);
                case TokenKind.Letter:
                    return Letter(token.Text);
                case TokenKind.Symbol:
                    return token.Text switch
                    {
                        "(" => Bracketed(lowOpen: true),
                        "[" => Bracketed(lowOpen: false),
                        "{" => Braced(),
                        "|" => Bars(),
                        _ => throw Fail(),
                    };
                case TokenKind.Command:
                    return Command(token.Text);
                default:
                    throw Fail();
            }
        }

        private static NumberNode Number(string text) =>
            Rational.TryParseDecimal(text, out var value)
                ? new NumberNode(value, text.Contains('.') || text.Contains('e') || text.Contains('E'))
                : throw Fail();

        private MathNode Letter(string letter)
        {
            var name = letter.ToLowerInvariant();
            var subscript = Subscript();
            if (subscript is null)
            {
                // Lower-case e is Euler's number; "E" stays a letter (a choice), as latex2sympy reads them.
                if (letter == "e") return new ConstantNode(MathConstant.E);
                if (name == "i") return new ConstantNode(MathConstant.I);
            }
            return new SymbolNode(subscript is null ? name : name + "_" + subscript);
        }

        /// <summary>A subscript's text ("x_1", "a_{n+1}"), or null when there is none.</summary>
        private string? Subscript()
        {
            if (!Peek.IsSymbol('_')) return null;
            _at++;
            var token = Next();
            if (token.Kind is TokenKind.Number or TokenKind.Letter) return token.Text.ToLowerInvariant();
            if (token.Kind == TokenKind.Command) return token.Text;
            if (!token.IsSymbol('{')) throw Fail();
            var text = new StringBuilder();
            for (var depth = 1; ;)
            {
                var t = Next();
                if (t.Kind == TokenKind.End) throw Fail();
                if (t.IsSymbol('{')) depth++;
                if (t.IsSymbol('}') && --depth == 0) break;
                text.Append(t.Text.ToLowerInvariant());
            }
            return text.ToString();
        }

        /// <summary>After "(" or "[": a group, an interval or pair (two items), or a tuple (three or more).</summary>
        private MathNode Bracketed(bool lowOpen)
        {
            var inner = Elements(EndOf.Paren);
            var closer = Next();
            if (!closer.IsSymbol(')') && !closer.IsSymbol(']')) throw Fail();
            var highOpen = closer.IsSymbol(')');
            if (inner is CollectionNode { Kind: CollectionKind.List } list)
                return list.Items.Count == 2
                    ? new IntervalNode(list.Items[0], list.Items[1], lowOpen, highOpen)
                    : new CollectionNode(CollectionKind.Tuple, list.Items);
            return inner;
        }

        private MathNode Braced()
        {
            var inner = Elements(EndOf.Brace);
            if (Peek.IsCommand("choose"))
            {
                _at++;
                var k = Elements(EndOf.Brace);
                Expect('}');
                return new FunctionNode("binom", [inner, k]);
            }
            Expect('}');
            return inner is CollectionNode { Kind: CollectionKind.List } list ? new CollectionNode(CollectionKind.Set, list.Items) : inner;
        }

        private MathNode Bars()
        {
            _bars++;
            var inner = Elements(EndOf.Bar);
            _bars--;
            Expect('|');
            return new FunctionNode("abs", [inner]);
        }

        private MathNode SetBraces()
        {
            if (Peek.IsCommand("}") || Peek.IsCommand("rbrace"))
            {
                _at++;
                return new EmptySetNode();
            }
            var inner = Elements(EndOf.SetBrace);
            if (!Peek.IsCommand("}") && !Peek.IsCommand("rbrace")) throw Fail();
            _at++;
            return new CollectionNode(CollectionKind.Set, inner is CollectionNode { Kind: CollectionKind.List } list ? list.Items : [inner]);
        }

        private MathNode Command(string name)
        {
            switch (name)
            {
                case "frac":
                    var numerator = Argument();
                    return new QuotientNode(numerator, Argument());
                case "binom":
                    var n = Argument();
                    return new FunctionNode("binom", [n, Argument()]);
                case "sqrt":
                    MathNode? index = null;
                    if (Peek.IsSymbol('['))
                    {
                        _at++;
                        index = Elements(EndOf.Paren);
                        Expect(']');
                    }
                    var radicand = Argument();
                    return new FunctionNode("sqrt", index is null ? [radicand] : [radicand, index]);
                case "pi":
                    return new ConstantNode(MathConstant.Pi);
                case "mathbb":
                    var set = RawArgument();
                    return set == "R" ? new IntervalNode(MinusInfinity, new ConstantNode(MathConstant.Infinity), true, true) : new SymbolNode("mathbb{" + set.ToLowerInvariant() + "}");
                case "angle" or "triangle":
                    return new SymbolNode(name);
                case "overline" or "bar" or "vec" or "hat" or "tilde" or "widehat" or "overrightarrow":
                    return new SymbolNode((name is "overline" ? "bar" : name) + "{" + RawArgument().ToLowerInvariant() + "}");
                case "sum" or "prod":
                    return Series(name);
                case "Gamma" when Peek.IsSymbol('('):
                    return Function("gamma");
                case "infty":
                    return new ConstantNode(MathConstant.Infinity);
                case "emptyset" or "varnothing":
                    return new EmptySetNode();
                case "{" or "lbrace":
                    return SetBraces();
                case "boxed" or "fbox":
                    return Argument();
                case "text":
                    return Text();
                case "lfloor":
                    return Delimited("floor", "rfloor");
                case "lceil":
                    return Delimited("ceil", "rceil");
                case "lvert" or "vert":
                    return Delimited("abs", name == "lvert" ? "rvert" : "vert");
                case "begin":
                    return Environment();
                case "operatorname":
                    return Function(RawArgument().ToLowerInvariant());
                case "exp":
                    return new PowerNode(new ConstantNode(MathConstant.E), FunctionArgument());
                case "log" or "lg" or "ln":
                    MathNode? logBase = name == "ln" ? new ConstantNode(MathConstant.E) : null;
                    if (Peek.IsSymbol('_'))
                    {
                        _at++;
                        logBase = Argument(whole: true);
                    }
                    var power = FunctionPower();
                    var log = new FunctionNode("log", [FunctionArgument(), logBase ?? new NumberNode(Rational.FromInteger(10), false)]);
                    return power is null ? log : new PowerNode(log, power);
            }
            if (Greek.Contains(name)) return new SymbolNode(name.ToLowerInvariant() + (Subscript() is { } s ? "_" + s : ""));
            if (Functions.TryGetValue(name, out var function)) return Function(function);
            throw Fail();
        }

        private MathNode Function(string name)
        {
            var power = FunctionPower();
            // \sin^{-1} x is arcsin x.
            if (power is NumberNode minusOne && minusOne.Value.Equals(Rational.One.Negate()) && name is "sin" or "cos" or "tan" or "sinh" or "cosh" or "tanh")
            {
                name = "a" + name;
                power = null;
            }
            MathNode call;
            if (Peek.IsSymbol('(') && name is "max" or "min" or "gcd" or "lcm")
            {
                _at++;
                var inner = Elements(EndOf.Paren);
                Expect(')');
                call = new FunctionNode(name, inner is CollectionNode { Kind: CollectionKind.List } list ? list.Items : [inner]);
            }
            else call = new FunctionNode(name, [FunctionArgument()]);
            return power is null ? call : new PowerNode(call, power);
        }

        private static readonly MathNode MinusInfinity = new NegationNode(new ConstantNode(MathConstant.Infinity));

        /// <summary>\sum_{k=a}^{b} body or \prod: evaluated term by term when the bounds are small integers.</summary>
        private MathNode Series(string name)
        {
            if (!Peek.IsSymbol('_')) throw Fail();
            _at++;
            Expect('{');
            if (Next() is not { Kind: TokenKind.Letter } variable) throw Fail();
            Expect('=');
            var low = Elements(EndOf.Brace);
            Expect('}');
            Expect('^');
            var high = Argument(whole: true);
            var body = Implicit();
            return new FunctionNode(name, [body, new SymbolNode(variable.Text.ToLowerInvariant()), low, high]);
        }

        private MathNode? FunctionPower()
        {
            if (!Peek.IsSymbol('^')) return null;
            _at++;
            return Argument(whole: true);
        }

        /// <summary>A function's argument: a parenthesised group, or the juxtaposed factors that follow ("\sin 2x").</summary>
        private MathNode FunctionArgument()
        {
            if (Peek.IsSymbol('('))
            {
                _at++;
                var inner = Elements(EndOf.Paren);
                Expect(')');
                return inner;
            }
            if (Peek.IsSymbol('{')) return Argument();
            _noFunctions++;
            var argument = Implicit();
            _noFunctions--;
            return argument;
        }

        private MathNode Delimited(string function, string closer)
        {
            var outer = _closer;
            _closer = closer;
            var inner = Elements(EndOf.Closer);
            _closer = outer;
            ExpectCommand(closer);
            return new FunctionNode(function, [inner]);
        }

        /// <summary>\text{…}: a number or expression when its content is one ("\text{5}"), else its words.</summary>
        private MathNode Text()
        {
            if (!Peek.IsSymbol('{'))
                return Next() is { Kind: TokenKind.Letter or TokenKind.Number } single ? new SymbolNode(single.Text.ToLowerInvariant()) : throw Fail();
            var raw = Group();
            var content = raw.Trim();
            if (content.Length > 0 && TryParse(AnswerLatex.Clean(content)) is NumberNode number) return number;
            var words = new StringBuilder();
            foreach (var c in content)
                if (!char.IsWhiteSpace(c) && c is not '(' and not ')' and not '{' and not '}' and not '\\' and not '.') words.Append(char.ToLowerInvariant(c));
            return words.Length == 0 ? throw Fail() : new SymbolNode(words.ToString());
        }

        /// <summary>The raw text of a braced group's tokens.</summary>
        private string Group()
        {
            Expect('{');
            var text = new StringBuilder();
            for (var depth = 1; ;)
            {
                var t = Next();
                if (t.Kind == TokenKind.End) throw Fail();
                if (t.IsSymbol('{')) depth++;
                else if (t.IsSymbol('}') && --depth == 0) return text.ToString();
                text.Append(t.Kind == TokenKind.Command ? "\\" + t.Text + " " : t.Text);
            }
        }

        /// <summary>A command's argument as text: a braced group's tokens, or the next token ("\mathbb{R}", "\operatorname{sgn}", "\vec v").</summary>
        private string RawArgument() => Peek.IsSymbol('{') ? Group().Replace(" ", "") : Next().Text;

        /// <summary>\begin{pmatrix} a &amp; b \\ c &amp; d \end{pmatrix} (also bmatrix, matrix, vmatrix as a determinant, array).</summary>
        private MathNode Environment()
        {
            var kind = Group().Trim();
            if (kind == "array" && Peek.IsSymbol('{')) Group();
            if (!kind.EndsWith("matrix", StringComparison.Ordinal) && kind != "array") throw Fail();
            var rows = new List<IReadOnlyList<MathNode>>();
            var row = new List<MathNode>();
            while (true)
            {
                if (Peek.IsCommand("end"))
                {
                    _at++;
                    Group();
                    if (row.Count > 0) rows.Add(row);
                    break;
                }
                row.Add(Elements(EndOf.Row));
                if (Peek.IsSymbol('&')) { _at++; continue; }
                if (Peek.IsCommand("\\"))
                {
                    _at++;
                    rows.Add(row);
                    row = [];
                    continue;
                }
                if (!Peek.IsCommand("end")) throw Fail();
            }
            if (rows.Count == 0 || rows.Any(r => r.Count != rows[0].Count)) throw Fail();
            var matrix = new MatrixNode(rows);
            return kind == "vmatrix" ? new FunctionNode("det", [matrix]) : matrix;
        }
    }

    private static readonly Dictionary<string, string> Functions = new()
    {
        ["sin"] = "sin", ["cos"] = "cos", ["tan"] = "tan", ["sec"] = "sec", ["csc"] = "csc", ["cot"] = "cot",
        ["arcsin"] = "asin", ["arccos"] = "acos", ["arctan"] = "atan", ["sinh"] = "sinh", ["cosh"] = "cosh", ["tanh"] = "tanh",
        ["max"] = "max", ["min"] = "min", ["gcd"] = "gcd", ["lcm"] = "lcm", ["det"] = "det", ["floor"] = "floor", ["ceil"] = "ceil",
    };

    private static readonly HashSet<string> Greek =
    [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa", "lambda",
        "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
    ];

    // "1,000" or "12,345,678.5" as the whole answer is one number; with a space after a comma it is a list (latex2sympy's rule).
    [GeneratedRegex(@"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")]
    private static partial Regex WholeNumber();
}
