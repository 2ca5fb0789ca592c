using System.Globalization;
using System.Numerics;

namespace Harness.Plugins.Rewards.Equivalence;

/// <summary>
/// An exact rational number of big integers, always reduced with a positive denominator. Operations whose result
/// would pass <see cref="MaxBits"/> report failure instead, so no answer, however large its numbers, can make a
/// comparison slow: the caller then falls back to floating point.
/// </summary>
public readonly struct Rational : IEquatable<Rational>
{
    /// <summary>
    /// The largest numerator or denominator, in bits, an exact result may have (about 39 000 decimal digits: 2^{100000}
    /// stays exact, 10^{10^{10}} does not).
    /// </summary>
    public const int MaxBits = 1 << 17;

    public static readonly Rational Zero = new(BigInteger.Zero, BigInteger.One);
    public static readonly Rational One = new(BigInteger.One, BigInteger.One);

    private Rational(BigInteger numerator, BigInteger denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public bool IsZero => Numerator.IsZero;

    public bool IsInteger => Denominator.IsOne;

    public int Sign => Numerator.Sign;

    public static Rational FromInteger(BigInteger value) => new(value, BigInteger.One);

    /// <summary>The reduced fraction n/d; fails for a zero denominator or a result past <see cref="MaxBits"/>.</summary>
    public static bool TryCreate(BigInteger numerator, BigInteger denominator, out Rational value)
    {
        value = Zero;
        if (denominator.IsZero) return false;
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne) (numerator, denominator) = (numerator / gcd, denominator / gcd);
        if (numerator.GetBitLength() > MaxBits || denominator.GetBitLength() > MaxBits) return false;
        value = new Rational(numerator, denominator);
        return true;
    }

    /// <summary>Digits with an optional fraction part and exponent ("12", "0.25", ".5", "1.5e-3"), exactly.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out Rational value)
    {
        value = Zero;
        var exponentAt = text.IndexOfAny('e', 'E');
        var exponent = 0;
        if (exponentAt >= 0)
        {
            if (!int.TryParse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 1000) return false;
            text = text[..exponentAt];
        }
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        var length = whole.Length + fraction.Length;
        if (length == 0 || length > 1000) return false;
        foreach (var c in whole) if (!char.IsAsciiDigit(c)) return false;
        foreach (var c in fraction) if (!char.IsAsciiDigit(c)) return false;
        BigInteger digits;
        if (length <= 18)
        {
            // Most answers are short: their digits fit a long, without a string made for BigInteger.Parse.
            long small = 0;
            foreach (var c in whole) small = small * 10 + (c - '0');
            foreach (var c in fraction) small = small * 10 + (c - '0');
            digits = small;
        }
        else digits = BigInteger.Parse(string.Concat(whole, fraction), CultureInfo.InvariantCulture);
        var scale = exponent - fraction.Length;
        if (scale == 0)
        {
            value = new Rational(digits, BigInteger.One);
            return true;
        }
        return scale > 0
            ? TryCreate(digits * BigInteger.Pow(10, scale), BigInteger.One, out value)
            : TryCreate(digits, BigInteger.Pow(10, -scale), out value);
    }

    public static bool TryAdd(Rational a, Rational b, out Rational sum) =>
        a.Denominator == b.Denominator
            ? TryCreate(a.Numerator + b.Numerator, a.Denominator, out sum)
            : TryCreate(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator, out sum);

    public static bool TryMultiply(Rational a, Rational b, out Rational product) =>
        TryCreate(a.Numerator * b.Numerator, a.Denominator * b.Denominator, out product);

    public static bool TryDivide(Rational a, Rational b, out Rational quotient) =>
        TryCreate(a.Numerator * b.Denominator, a.Denominator * b.Numerator, out quotient);

    public Rational Negate() => new(-Numerator, Denominator);

    /// <summary>This number to an integer power, when the result stays within <see cref="MaxBits"/> (checked before computing it).</summary>
    public bool TryPower(BigInteger exponent, out Rational result)
    {
        result = One;
        if (exponent.IsZero) return true;
        if (IsZero) return exponent.Sign > 0;
        var magnitude = BigInteger.Abs(exponent);
        // The result's size, from the base's: |n|^e has about e·log2|n| bits.
        var bits = Math.Max(BigInteger.Log(BigInteger.Abs(Numerator), 2), BigInteger.Log(Denominator, 2));
        if (bits > 0 && (double)magnitude * bits > MaxBits) return false;
        if (magnitude > MaxBits) return Numerator == Denominator || Numerator == -Denominator ? TryPowerOfUnit(exponent, out result) : false;
        var e = (int)magnitude;
        var numerator = BigInteger.Pow(Numerator, e);
        var denominator = BigInteger.Pow(Denominator, e);
        return exponent.Sign > 0 ? TryCreate(numerator, denominator, out result) : TryCreate(denominator, numerator, out result);
    }

    private bool TryPowerOfUnit(BigInteger exponent, out Rational result)
    {
        result = Numerator.Sign > 0 || exponent.IsEven ? One : One.Negate();
        return true;
    }

    /// <summary>The exact k-th root when this number is a perfect k-th power (of a non-negative number, or any for odd k).</summary>
    public bool TryRoot(int k, out Rational root)
    {
        root = Zero;
        if (k < 1 || (Sign < 0 && k % 2 == 0)) return false;
        if (!TryIntegerRoot(BigInteger.Abs(Numerator), k, out var n) || !TryIntegerRoot(Denominator, k, out var d)) return false;
        root = new Rational(Sign < 0 ? -n : n, d);
        return true;
    }

    private static bool TryIntegerRoot(BigInteger value, int k, out BigInteger root)
    {
        root = value;
        if (value <= BigInteger.One || k == 1) return true;
        // Newton's method from a float estimate, then a check: exact only for perfect powers.
        var estimate = new BigInteger(Math.Round(Math.Exp(BigInteger.Log(value) / k)));
        for (var i = 0; i < 64; i++)
        {
            var power = BigInteger.Pow(estimate, k - 1);
            if (power.IsZero) break;
            var next = ((k - 1) * estimate + value / power) / k;
            if (BigInteger.Abs(next - estimate) <= BigInteger.One) { estimate = next; break; }
            estimate = next;
        }
        for (var candidate = estimate - 1; candidate <= estimate + 1; candidate++)
            if (candidate.Sign >= 0 && BigInteger.Pow(candidate, k) == value)
            {
                root = candidate;
                return true;
            }
        return false;
    }

    /// <summary>Rounded to <paramref name="decimals"/> places, halves to even (as SymPy rounds).</summary>
    public Rational Round(int decimals)
    {
        var scale = BigInteger.Pow(10, decimals);
        var quotient = BigInteger.DivRem(BigInteger.Abs(Numerator) * scale, Denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > Denominator || (twice == Denominator && !quotient.IsEven)) quotient += 1;
        return TryCreate(Numerator.Sign < 0 ? -quotient : quotient, scale, out var result) ? result : this;
    }

    public double ToDouble()
    {
        if (Denominator.IsOne) return (double)Numerator;
        var shift = Math.Max(0, (int)Denominator.GetBitLength() - (int)Numerator.GetBitLength() + 64);
        return Math.ScaleB((double)((Numerator << shift) / Denominator), -shift);
    }

    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Rational other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
