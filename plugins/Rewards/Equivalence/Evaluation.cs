using System.Numerics;

namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// The value of an expression with its variables set: exact while it can be (see <see cref="Scalar"/>), else a complex
/// approximation. What is not a number (a set, a relation, text) is <see cref="Scalar.Undefined"/>.
/// </summary>
internal static class Evaluation
{
    private static readonly Scalar Hundred = Scalar.Exact(Rational.FromInteger(100));

    public static Scalar Of(MathNode node, Func<string, Scalar> variable) => node switch
    {
        NumberNode n => Scalar.Exact(n.Value),
        SymbolNode s => variable(s.Name),
        ConstantNode c => c.Constant switch
        {
            MathConstant.Pi => Scalar.Approximate(Math.PI),
            MathConstant.E => Scalar.Approximate(Math.E),
            MathConstant.I => Scalar.ImaginaryUnit,
            _ => Scalar.Approximate(double.PositiveInfinity),
        },
        SumNode sum => sum.Terms.Aggregate(Scalar.Exact(Rational.Zero), (total, t) => total + Of(t, variable)),
        ProductNode product => product.Factors.Aggregate(Scalar.Exact(Rational.One), (total, f) => total * Of(f, variable)),
        NegationNode negation => -Of(negation.Operand, variable),
        QuotientNode q => Of(q.Numerator, variable) / Of(q.Denominator, variable),
        PowerNode { Base: ConstantNode { Constant: MathConstant.E } } p => Exp(Of(p.Exponent, variable)),
        PowerNode p => Scalar.Power(Of(p.Base, variable), Of(p.Exponent, variable)),
        PercentNode percent => Of(percent.Operand, variable) / Hundred,
        FunctionNode f => Function(f, variable),
        // A one-item set in arithmetic is its item: "\{2+3\} \cdot 2" is 10.
        CollectionNode { Items.Count: 1 } c => Of(c.Items[0], variable),
        _ => Scalar.Undefined,
    };

    private static Scalar Function(FunctionNode f, Func<string, Scalar> variable)
    {
        if (f.Name is "sum" or "prod") return Series(f, variable);
        var args = f.Arguments.Select(a => a is MatrixNode ? Scalar.Undefined : Of(a, variable)).ToArray();
        if (f.Name != "det" && args.Any(a => !a.IsDefined)) return Scalar.Undefined;
        var x = args.Length > 0 ? args[0] : Scalar.Undefined;
        return f.Name switch
        {
            "sqrt" => Scalar.Power(x, args.Length > 1 ? Scalar.Exact(Rational.One) / args[1] : Scalar.Exact(Half)),
            "abs" => Abs(x),
            "floor" => Round(x, Math.Floor, r => Floor(r)),
            "ceil" => Round(x, Math.Ceiling, r => -Floor(r.Negate())),
            "factorial" => Factorial(x),
            "gamma" => Gamma(x),
            "binom" => Binomial(x, args[1]),
            "mod" => Modulo(x, args[1]),
            "gcd" or "lcm" => GcdLcm(f.Name, args),
            "max" or "min" => Extreme(f.Name == "max", args),
            "log" => Approximate(x, args[1], (v, b) => Complex.Log(v) / Complex.Log(b)),
            "det" when f.Arguments[0] is MatrixNode m => Determinant(m, variable),
            _ when Trigonometry(f.Name) is { } fn => Approximate(x, fn),
            _ => Unknown(f.Name, args),
        };
    }

    private static readonly Rational Half = Rational.TryCreate(1, 2, out var half) ? half : Rational.One;

    private static Scalar Exp(Scalar x) => Scalar.Power(Scalar.Approximate(Math.E), x);

    private static Func<Complex, Complex>? Trigonometry(string name) => name switch
    {
        "sin" => Complex.Sin,
        "cos" => Complex.Cos,
        "tan" => Complex.Tan,
        "sec" => v => 1 / Complex.Cos(v),
        "csc" => v => 1 / Complex.Sin(v),
        "cot" => v => Complex.Cos(v) / Complex.Sin(v),
        "asin" => Complex.Asin,
        "acos" => Complex.Acos,
        "atan" => Complex.Atan,
        "sinh" => Complex.Sinh,
        "cosh" => Complex.Cosh,
        "tanh" => Complex.Tanh,
        _ => null,
    };

    private static Scalar Approximate(Scalar x, Func<Complex, Complex> f) => Real(f(x.ToComplex()));

    private static Scalar Approximate(Scalar x, Scalar y, Func<Complex, Complex, Complex> f) => Real(f(x.ToComplex(), y.ToComplex()));

    // Drops the rounding noise a complex routine leaves on a real result.
    private static Scalar Real(Complex c) =>
        double.IsNaN(c.Real) || double.IsNaN(c.Imaginary) ? Scalar.Undefined
        : Math.Abs(c.Imaginary) <= 1e-14 * Math.Max(1, Math.Abs(c.Real)) ? Scalar.Approximate(c.Real) : Scalar.Approximate(c);

    private static Scalar Abs(Scalar x)
    {
        if (x.IsExactReal) return Scalar.Exact(x.Real.Sign < 0 ? x.Real.Negate() : x.Real);
        if (x.IsExact)
        {
            var squared = x * Conjugate(x);
            return Scalar.Power(squared, Scalar.Exact(Half));
        }
        return Scalar.Approximate(Complex.Abs(x.ToComplex()));
    }

    private static Scalar Conjugate(Scalar x)
    {
        // re − im·i, exactly, as 2·re − x.
        return x.IsExact ? Scalar.Exact(x.Real) + Scalar.Exact(x.Real) - x : Scalar.Approximate(Complex.Conjugate(x.ToComplex()));
    }

    private static BigInteger Floor(Rational r) => BigInteger.DivRem(r.Numerator, r.Denominator, out var remainder) is var q && remainder.Sign < 0 ? q - 1 : q;

    private static Scalar Round(Scalar x, Func<double, double> approximate, Func<Rational, BigInteger> exact)
    {
        if (x.IsExactReal) return Scalar.Exact(Rational.FromInteger(exact(x.Real)));
        var c = x.ToComplex();
        return c.Imaginary == 0 ? Scalar.Approximate(approximate(c.Real)) : Scalar.Undefined;
    }

    /// <summary>n! exactly for a whole n up to 450; Γ(x + 1) for any other real x.</summary>
    private static Scalar Factorial(Scalar x)
    {
        if (x.IsExactReal && x.Real.IsInteger && x.Real.Sign >= 0 && x.Real.Numerator <= 450)
        {
            var product = BigInteger.One;
            for (var k = 2; k <= (int)x.Real.Numerator; k++) product *= k;
            return Scalar.Exact(Rational.FromInteger(product));
        }
        return Gamma(x + Scalar.Exact(Rational.One));
    }

    /// <summary>Γ(x) of a real x, by Lanczos' approximation (with the reflection formula below ½); undefined at its poles.</summary>
    private static Scalar Gamma(Scalar x)
    {
        var c = x.ToComplex();
        if (c.Imaginary != 0 || double.IsNaN(c.Real) || (c.Real <= 0 && c.Real == Math.Floor(c.Real)) || c.Real > 170) return Scalar.Undefined;
        return Scalar.Approximate(LanczosGamma(c.Real));
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    private static double LanczosGamma(double x)
    {
        if (x < 0.5) return Math.PI / (Math.Sin(Math.PI * x) * LanczosGamma(1 - x));
        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < Lanczos.Length; i++) a += Lanczos[i] / (x + i);
        return Math.Sqrt(2 * Math.PI) * Math.Pow(t, x + 0.5) * Math.Exp(-t) * a;
    }

    /// <summary>C(n, k): the falling product n(n−1)…(n−k+1)/k! for a whole k (exact for a rational n), else through Γ.</summary>
    private static Scalar Binomial(Scalar n, Scalar k)
    {
        if (k.IsExactReal && k.Real.IsInteger && k.Real.Numerator <= 1000)
        {
            if (k.Real.Sign < 0) return Scalar.Exact(Rational.Zero);
            var value = Scalar.Exact(Rational.One);
            for (var i = 0; i < (int)k.Real.Numerator; i++)
                value = value * (n - Scalar.Exact(Rational.FromInteger(i))) / Scalar.Exact(Rational.FromInteger(i + 1));
            return value;
        }
        var one = Scalar.Exact(Rational.One);
        return Gamma(n + one) / (Gamma(k + one) * Gamma(n - k + one));
    }

    /// <summary>a mod b with the sign of b, as SymPy's Mod: a − b·⌊a/b⌋.</summary>
    private static Scalar Modulo(Scalar a, Scalar b)
    {
        var quotient = a / b;
        var floor = Round(quotient, Math.Floor, r => Floor(r));
        return floor.IsDefined ? a - b * floor : Scalar.Undefined;
    }

    /// <summary>\sum or \prod over whole bounds at most 1 000 terms apart, the index bound term by term.</summary>
    private static Scalar Series(FunctionNode f, Func<string, Scalar> variable)
    {
        var index = ((SymbolNode)f.Arguments[1]).Name;
        var (low, high) = (Of(f.Arguments[2], variable), Of(f.Arguments[3], variable));
        if (!low.IsExactReal || !high.IsExactReal || !low.Real.IsInteger || !high.Real.IsInteger || high.Real.Numerator - low.Real.Numerator > 1000) return Scalar.Undefined;
        var total = Scalar.Exact(f.Name == "sum" ? Rational.Zero : Rational.One);
        for (var k = low.Real.Numerator; k <= high.Real.Numerator; k++)
        {
            var at = Scalar.Exact(Rational.FromInteger(k));
            var term = Of(f.Arguments[0], name => name == index ? at : variable(name));
            total = f.Name == "sum" ? total + term : total * term;
        }
        return total;
    }

    private static Scalar GcdLcm(string name, Scalar[] args)
    {
        if (args.Length == 0 || args.Any(a => !a.IsExactReal || !a.Real.IsInteger)) return Scalar.Undefined;
        var result = BigInteger.Abs(args[0].Real.Numerator);
        foreach (var a in args.Skip(1))
        {
            var v = BigInteger.Abs(a.Real.Numerator);
            var gcd = BigInteger.GreatestCommonDivisor(result, v);
            result = name == "gcd" ? gcd : gcd.IsZero ? BigInteger.Zero : result / gcd * v;
        }
        return Scalar.Exact(Rational.FromInteger(result));
    }

    private static Scalar Extreme(bool max, Scalar[] args)
    {
        if (args.Length == 0 || args.Any(a => a.ToComplex().Imaginary != 0)) return Scalar.Undefined;
        return args.Aggregate((best, a) => (a.ToComplex().Real > best.ToComplex().Real) == max ? a : best);
    }

    private static Scalar Determinant(MatrixNode matrix, Func<string, Scalar> variable)
    {
        var n = matrix.Rows.Count;
        if (n == 0 || n > 5 || matrix.Rows.Any(r => r.Count != n)) return Scalar.Undefined;
        var cells = matrix.Rows.Select(r => r.Select(c => Of(c, variable)).ToArray()).ToArray();
        return Laplace(cells, [.. Enumerable.Range(0, n)], 0);
    }

    private static Scalar Laplace(Scalar[][] cells, int[] columns, int row)
    {
        if (columns.Length == 1) return cells[row][columns[0]];
        var total = Scalar.Exact(Rational.Zero);
        for (var i = 0; i < columns.Length; i++)
        {
            var minor = Laplace(cells, [.. columns.Where((_, j) => j != i)], row + 1);
            var term = cells[row][columns[i]] * minor;
            total = i % 2 == 0 ? total + term : total - term;
        }
        return total;
    }

    /// <summary>
    /// A function the evaluator does not know, f(x): a fixed pseudo-random function of its name and arguments, so
    /// f(x) equals f(x) and differs from g(x) and from f(y) (an undefined function compared by what it is applied to).
    /// </summary>
    private static Scalar Unknown(string name, Scalar[] args)
    {
        var seed = 0;
        foreach (var c in name) seed = seed * 31 + c;
        var phase = new Complex((seed & 0xFFFF) / 4096.0, 0);
        for (var j = 0; j < args.Length; j++) phase += (j + 1.618) * args[j].ToComplex();
        return Scalar.Approximate(Complex.Sin(phase) + 2.5);
    }
}
