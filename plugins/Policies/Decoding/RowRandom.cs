namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// One completion's own stream of random numbers (xoshiro256**, seeded through SplitMix64 from the request's seed and
/// the row's place in the request), so what a row samples does not depend on which rows decode beside it, in which
/// batch, or on how many threads.
/// </summary>
public struct RowRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public RowRandom(long seed, long row)
    {
        var x = (ulong)seed ^ (0x9E3779B97F4A7C15UL * (ulong)(row + 1));
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A number in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    private ulong Next()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
