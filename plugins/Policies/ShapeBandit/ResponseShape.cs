using System.Globalization;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Policies.ShapeBandit;

/// <summary>
/// The answer shapes of the seed, rendered as R1-style text for an addition prompt:
/// a direct answer; an answer followed by a real re-check that redoes the sum column by column and answers
/// from it; and a ritual re-check that restates the first guess and answers with it.
/// </summary>
public enum ResponseShape { Direct, Recheck, Ritual }

public static class ResponseShapes
{
    public static IReadOnlyList<ResponseShape> All { get; } = Enum.GetValues<ResponseShape>();

    public static string Name(ResponseShape shape) => shape.ToString().ToLowerInvariant();

    /// <summary>The completion text of a shape, given the first guess and the re-check's result.</summary>
    public static string Render(ResponseShape shape, IReadOnlyList<long> operands, long guess, long recheck)
    {
        var sum = string.Join(" + ", operands.Select(Text));
        var first = $"{sum} = {Text(guess)}.";
        return shape switch
        {
            ResponseShape.Direct => $"<think>{first}</think><answer>{Text(guess)}</answer>",
            ResponseShape.Ritual => $"<think>{first} Wait, let me re-check: {sum} = {Text(guess)}.</think><answer>{Text(guess)}</answer>",
            ResponseShape.Recheck =>
                $"<think>{first} Wait, let me re-check column by column: {ColumnSteps(operands)}. So {sum} = {Text(recheck)}." +
                (recheck != guess ? " I made a mistake before." : "") + $"</think><answer>{Text(recheck)}</answer>",
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
        };
    }

    private static string ColumnSteps(IReadOnlyList<long> operands) =>
        string.Join("; ", ColumnAddition.Columns(operands).Select(c =>
            string.Join(" + ", c.Digits.Select(Text)) + (c.CarryIn > 0 ? $" + {Text(c.CarryIn)}" : "") +
            $" = {Text(c.Written + 10 * c.CarryOut)}, write {Text(c.Written)} carry {Text(c.CarryOut)}"));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
