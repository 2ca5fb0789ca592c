using System.Numerics;

namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// A number as evaluation produces it: exact, a Gaussian rational re + im·i, for as long as every step can stay exact
/// (sums, products, integer powers, perfect roots), else a double-precision complex approximation. Undefined results
/// (division by zero, 0⁻¹) are <see cref="Undefined"/>.
/// </summary>
public readonly struct Scalar
{
    private readonly Rational _re;
    private readonly Rational _im;
    private readonly Complex _approx;

    private Scalar(Rational re, Rational im)
    {
        _re = re;
        _im = im;
        IsExact = true;
        IsDefined = true;
        _approx = default;
    }

    private Scalar(Complex approx)
    {
        _re = _im = Rational.Zero;
        _approx = approx;
        IsExact = false;
        IsDefined = !double.IsNaN(approx.Real) && !double.IsNaN(approx.Imaginary);
    }

    public static readonly Scalar Undefined = new(new Complex(double.NaN, double.NaN));

    public static readonly Scalar ImaginaryUnit = new(Rational.Zero, Rational.One);

    public static Scalar Exact(Rational re) => new(re, Rational.Zero);

    public static Scalar Approximate(Complex value) => new(value);

    public static Scalar Approximate(double value) => new(new Complex(value, 0));

    public bool IsExact { get; }

    public bool IsDefined { get; }

    /// <summary>Whether this is an exact real number (no imaginary part).</summary>
    public bool IsExactReal => IsExact && _im.IsZero;

    /// <summary>The exact real value; only meaningful when <see cref="IsExactReal"/>.</summary>
    public Rational Real => _re;

    public Complex ToComplex() => IsExact ? new Complex(_re.ToDouble(), _im.ToDouble()) : _approx;

    private bool IsReal => IsExact ? _im.IsZero : _approx.Imaginary == 0;

    private bool IsInfinity => !IsExact && (double.IsInfinity(_approx.Real) || double.IsInfinity(_approx.Imaginary));

    /// <summary>
    /// The result of a floating-point step: real arithmetic when both sides are real (∞ stays ∞), and undefined when it
    /// overflows from finite values (2^{10^{10}} is no number to compare; only ∞ written as ∞ is infinite).
    /// </summary>
    private static Scalar Approximately(Scalar a, Scalar b, Func<double, double, double> real, Func<Complex, Complex, Complex> complex)
    {
        var (x, y) = (a.ToComplex(), b.ToComplex());
        var finite = !double.IsInfinity(x.Real) && !double.IsInfinity(x.Imaginary) && !double.IsInfinity(y.Real) && !double.IsInfinity(y.Imaginary);
        if ((a.IsExact && !finite && !b.IsInfinity) || (b.IsExact && !finite && !a.IsInfinity)) return Undefined;
        var result = a.IsReal && b.IsReal ? new Complex(real(x.Real, y.Real), 0) : complex(x, y);
        if (finite && (double.IsInfinity(result.Real) || double.IsInfinity(result.Imaginary))) return Undefined;
        return new Scalar(result);
    }

    public static Scalar operator +(Scalar a, Scalar b)
    {
        if (a.IsExact && b.IsExact && Rational.TryAdd(a._re, b._re, out var re) && Rational.TryAdd(a._im, b._im, out var im)) return new Scalar(re, im);
        return Approximately(a, b, (x, y) => x + y, (x, y) => x + y);
    }

    public static Scalar operator -(Scalar a) => a.IsExact ? new Scalar(a._re.Negate(), a._im.Negate()) : new Scalar(-a._approx);

    public static Scalar operator -(Scalar a, Scalar b) => a + -b;

    public static Scalar operator *(Scalar a, Scalar b)
    {
        if (a.IsExact && b.IsExact && TryMultiply(a, b, out var product)) return product;
        return Approximately(a, b, (x, y) => x * y, (x, y) => x * y);
    }

    public static Scalar operator /(Scalar a, Scalar b)
    {
        if (!b.IsDefined || !a.IsDefined) return Undefined;
        if (b.IsExact)
        {
            if (b._re.IsZero && b._im.IsZero) return Undefined;
            if (a.IsExact && TryInverse(b, out var inverse) && TryMultiply(a, inverse, out var quotient)) return quotient;
        }
        return b.ToComplex() == Complex.Zero ? Undefined : Approximately(a, b, (x, y) => x / y, (x, y) => x / y);
    }

    /// <summary>a^b: exact for an exact base and an integer exponent, or a rational exponent whose root is exact; else the principal complex power.</summary>
    public static Scalar Power(Scalar a, Scalar b)
    {
        if (!a.IsDefined || !b.IsDefined) return Undefined;
        if (a.IsExact && b.IsExactReal)
        {
            var exponent = b._re;
            if (exponent.IsInteger)
            {
                if (a._im.IsZero)
                {
                    if (a._re.IsZero && exponent.Sign < 0) return Undefined;
                    if (a._re.TryPower(exponent.Numerator, out var exact)) return Exact(exact);
                }
                else if (BigInteger.Abs(exponent.Numerator) <= 64 && TryIntegerPower(a, (int)exponent.Numerator, out var gaussian)) return gaussian;
            }
            else if (a._im.IsZero && exponent.Denominator <= 64 && a._re.TryRoot((int)exponent.Denominator, out var root)
                && root.TryPower(exponent.Numerator, out var rooted))
                return a._re.IsZero && exponent.Sign < 0 ? Undefined : Exact(rooted);
        }
        var bas = a.ToComplex();
        var exp = b.ToComplex();
        if (bas == Complex.Zero) return exp.Real > 0 ? Exact(Rational.Zero) : Undefined;
        // A positive real base keeps a real power on the real line (Complex.Pow leaves 1e-16 imaginary parts).
        var power = bas.Imaginary == 0 && exp.Imaginary == 0 && bas.Real > 0 ? new Complex(Math.Pow(bas.Real, exp.Real), 0) : Complex.Pow(bas, exp);
        // Overflow or underflow from finite values is no number to compare (2^{10^{10}}): only ∞ written as ∞ is infinite.
        if (!a.IsInfinity && !b.IsInfinity && (IsInfinite(power) || IsInfinite(bas) || IsInfinite(exp) || power == Complex.Zero)) return Undefined;
        return new Scalar(power);
    }

    /// <summary>Whether two values are the same number: exactly, or within a relative 1e-9 (absolute 1e-12 near zero).</summary>
    public static bool Same(Scalar a, Scalar b)
    {
        if (!a.IsDefined || !b.IsDefined) return false;
        if (a.IsExact && b.IsExact) return a._re.Equals(b._re) && a._im.Equals(b._im);
        var x = a.ToComplex();
        var y = b.ToComplex();
        if (IsInfinite(x) || IsInfinite(y))
            return x.Real == y.Real && x.Imaginary == y.Imaginary;
        var difference = Complex.Abs(x - y);
        return difference <= 1e-12 || difference <= 1e-9 * Math.Max(Complex.Abs(x), Complex.Abs(y));
    }

    private static bool IsInfinite(Complex c) => double.IsInfinity(c.Real) || double.IsInfinity(c.Imaginary);

    private static bool TryMultiply(Scalar a, Scalar b, out Scalar product)
    {
        product = default;
        if (a._im.IsZero && b._im.IsZero)
        {
            if (!Rational.TryMultiply(a._re, b._re, out var real)) return false;
            product = Exact(real);
            return true;
        }
        if (!Rational.TryMultiply(a._re, b._re, out var rr) || !Rational.TryMultiply(a._im, b._im, out var ii)
            || !Rational.TryMultiply(a._re, b._im, out var ri) || !Rational.TryMultiply(a._im, b._re, out var ir)
            || !Rational.TryAdd(rr, ii.Negate(), out var re) || !Rational.TryAdd(ri, ir, out var im)) return false;
        product = new Scalar(re, im);
        return true;
    }

    private static bool TryInverse(Scalar a, out Scalar inverse)
    {
        inverse = default;
        if (a._im.IsZero)
        {
            if (!Rational.TryDivide(Rational.One, a._re, out var real)) return false;
            inverse = Exact(real);
            return true;
        }
        // 1/(x+yi) = (x−yi)/(x²+y²)
        if (!Rational.TryMultiply(a._re, a._re, out var xx) || !Rational.TryMultiply(a._im, a._im, out var yy) || !Rational.TryAdd(xx, yy, out var norm)
            || !Rational.TryDivide(a._re, norm, out var re) || !Rational.TryDivide(a._im.Negate(), norm, out var im)) return false;
        inverse = new Scalar(re, im);
        return true;
    }

    private static bool TryIntegerPower(Scalar a, int exponent, out Scalar result)
    {
        result = Exact(Rational.One);
        var bas = a;
        if (exponent < 0)
        {
            if (!TryInverse(a, out bas)) return false;
            exponent = -exponent;
        }
        for (var e = exponent; e > 0; e >>= 1)
        {
            if ((e & 1) == 1 && !TryMultiply(result, bas, out result)) return false;
            if (e > 1 && !TryMultiply(bas, bas, out bas)) return false;
        }
        return true;
    }
}
