using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Tasks;

/// <summary>
/// The arithmetic task's one prompt form, "What is 17 + 26?", and school addition by columns from the right.
/// Compiled into the host's task generator and into plugins that reason about these prompts, so all agree.
/// </summary>
internal static partial class ColumnAddition
{
    public static string Prompt(IReadOnlyList<long> operands) =>
        "What is " + string.Join(" + ", operands.Select(o => o.ToString(CultureInfo.InvariantCulture))) + "?";

    /// <summary>The operands of a prompt in <see cref="Prompt"/>'s form, or null for any other text.</summary>
    public static long[]? Operands(string prompt)
    {
        var match = PromptRegex().Match(prompt);
        return match.Success
            ? [.. match.Groups[1].Captures.Select(c => long.Parse(c.Value, CultureInfo.InvariantCulture))]
            : null;
    }

    /// <summary>How many columns, added from the right, carry into the next.</summary>
    public static int Carries(IReadOnlyList<long> operands) => Columns(operands).Count(c => c.CarryOut > 0);

    /// <summary>Each column from the right: its digits, the carry in, the digit written and the carry out.</summary>
    public static IReadOnlyList<Column> Columns(IReadOnlyList<long> operands)
    {
        var columns = new List<Column>();
        var rest = operands.ToArray();
        var carry = 0L;
        while (rest.Any(o => o > 0))
        {
            var digits = rest.Select(o => o % 10).ToArray();
            var total = digits.Sum() + carry;
            columns.Add(new Column(digits, carry, total % 10, total / 10));
            carry = total / 10;
            rest = [.. rest.Select(o => o / 10)];
        }
        return columns;
    }

    internal sealed record Column(long[] Digits, long CarryIn, long Written, long CarryOut);

    [GeneratedRegex(@"^What is (?:(\d+)(?: \+ |\?$))+")]
    private static partial Regex PromptRegex();
}
