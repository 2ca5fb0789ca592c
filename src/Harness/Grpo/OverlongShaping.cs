namespace Harness.Grpo;

/// <summary>
/// DAPO's soft overlong punishment: with the generation limit L_max and a buffer of L_cache tokens before it, a completion
/// of |y| tokens gets R_length = min(−(|y| − (L_max − L_cache)) / L_cache · factor, 0): nothing up to L_max − L_cache, then a
/// penalty growing linearly to −factor at the limit. It is added to the reward as its own term.
/// Source: verl <c>DAPORewardManager</c> (<c>overlong_buffer.len</c>, <c>penalty_factor</c>), verl/workers/reward_manager/dapo.py
/// at b178a3cd.
/// </summary>
public static class OverlongShaping
{
    /// <summary>The reward term it adds.</summary>
    public const string Term = "overlong";

    /// <param name="length">The completion's token count.</param>
    /// <param name="maxLength">The generation limit L_max.</param>
    /// <param name="buffer">L_cache, more than 0 and less than L_max.</param>
    /// <param name="factor">The penalty at the limit.</param>
    public static double Penalty(int length, int maxLength, int buffer, double factor)
    {
        if (buffer <= 0 || buffer >= maxLength)
            throw new HarnessException($"The overlong buffer must be more than 0 and less than the generation limit {maxLength}; got {buffer}.");
        var exceed = length - (maxLength - buffer);
        return Math.Min(-exceed / (double)buffer * factor, 0);
    }
}
