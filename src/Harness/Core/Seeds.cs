namespace Harness.Core;

/// <summary>
/// Independent seeds derived from the run's seed and a step, so each step's randomness depends only on
/// (seed, step, purpose): a resumed run draws exactly what an uninterrupted one would.
/// </summary>
public static class Seeds
{
    public static long For(long seed, long step, string purpose)
    {
        var x = (ulong)seed;
        x = Mix(x ^ (ulong)step * 0x9E3779B97F4A7C15UL);
        foreach (var c in purpose) x = Mix(x ^ c);
        return (long)(x >> 1);
    }

    public static Random Random(long seed, long step, string purpose) => new((int)(For(seed, step, purpose) & int.MaxValue));

    // SplitMix64's finaliser.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
