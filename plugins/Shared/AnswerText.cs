using System.Globalization;

namespace Harness.Plugins.Shared;

/// <summary>
/// The R1-style texts of the answer shapes for an addition prompt: a direct answer, a real re-check that redoes
/// the sum column by column from the right (every column written "a+b+carry=sum") and answers from it, and a
/// ritual re-check that restates the first guess. Shared by the shape bandit and the pretraining corpus, so
/// both write the same shapes.
/// </summary>
internal static class AnswerText
{
    public const string DefaultPhrase = "Wait, let me re-check:";

    public static string Sum(IReadOnlyList<long> operands) => string.Join(" + ", operands.Select(Text));

    public static string Direct(IReadOnlyList<long> operands, long guess) =>
        $"<think>{Sum(operands)} = {Text(guess)}.</think><answer>{Text(guess)}</answer>";

    public static string Ritual(IReadOnlyList<long> operands, long guess, string phrase = DefaultPhrase) =>
        $"<think>{Sum(operands)} = {Text(guess)}. {phrase} {Sum(operands)} = {Text(guess)}.</think><answer>{Text(guess)}</answer>";

    /// <summary>A re-check that recomputes; when its result differs from the guess it says so and answers from the re-check.</summary>
    public static string Recheck(IReadOnlyList<long> operands, long guess, long result, string phrase = DefaultPhrase) =>
        $"<think>{Sum(operands)} = {Text(guess)}. {phrase} {Columns(operands)}. So {Sum(operands)} = {Text(result)}." +
        (result != guess ? " I made a mistake before." : "") + $"</think><answer>{Text(result)}</answer>";

    /// <summary>The columns from the right, e.g. "8+5+0=13, 3+6+1=10" for 38 + 65.</summary>
    public static string Columns(IReadOnlyList<long> operands) =>
        string.Join(", ", ColumnAddition.Columns(operands).Select(c =>
            string.Join("+", c.Digits.Select(Text)) + $"+{Text(c.CarryIn)}={Text(c.Written + 10 * c.CarryOut)}"));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
