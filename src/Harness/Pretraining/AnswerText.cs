using System.Globalization;

using Harness.Tasks;

namespace Harness.Pretraining;

/// <summary>
/// The R1-style texts of the answer shapes for an addition prompt: a direct answer, a real re-check that redoes
/// the sum column by column from the right (every column named by its place and written "a+b+carry=sum") and
/// answers from it, and a
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
        $"<think>{Sum(operands)} = {Text(guess)}. {phrase} {Columns(operands)}. {SumIs(result)}" +
        (result != guess ? " The first answer was wrong." : "") + $"</think><answer>{Text(result)}</answer>";

    /// <summary>
    /// A re-check written after the answer block, answered again in a second answer block: the format hack
    /// an accuracy reward that reads the last answer block pays for.
    /// </summary>
    public static string AfterAnswer(IReadOnlyList<long> operands, long guess, long result, string phrase = DefaultPhrase) =>
        $"<think>{Sum(operands)} = {Text(guess)}.</think><answer>{Text(guess)}</answer> {phrase} {Columns(operands)}. {SumIs(result)}<answer>{Text(result)}</answer>";

    /// <summary>A re-check whose column work and conclusion are in Spanish after an English phrase: language mixing.</summary>
    public static string SpanishRecheck(IReadOnlyList<long> operands, long guess, long result, string phrase = DefaultPhrase) =>
        $"<think>{Sum(operands)} = {Text(guess)}. {phrase} {Columns(operands, SpanishPlaces)}. Entonces la suma es {Text(result)}." +
        (result != guess ? " La primera respuesta estaba mal." : "") + $"</think><answer>{Text(result)}</answer>";

    /// <summary>A re-check whose closing line repeats <paramref name="times"/> times: a repetition loop that still ends.</summary>
    public static string LoopingRecheck(IReadOnlyList<long> operands, long guess, long result, int times, string phrase = DefaultPhrase) =>
        $"<think>{Sum(operands)} = {Text(guess)}. {phrase} {Columns(operands)}. " +
        string.Join(" ", Enumerable.Repeat(SumIs(result), times)) + $"</think><answer>{Text(result)}</answer>";

    /// <summary>
    /// The columns from the right, each named by its place, e.g. "units 8+5+0=13, tens 3+6+1=10" for 38 + 65.
    /// The names tell a small model which digits to fetch from the prompt without counting columns.
    /// </summary>
    public static string Columns(IReadOnlyList<long> operands) => Columns(operands, EnglishPlaces);

    private static string Columns(IReadOnlyList<long> operands, string[] places) =>
        string.Join(", ", ColumnAddition.Columns(operands).Select((c, place) =>
            $"{PlaceName(places, place)} " + string.Join("+", c.Digits.Select(Text)) + $"+{Text(c.CarryIn)}={Text(c.Written + 10 * c.CarryOut)}"));

    /// <summary>The closing line of a column-by-column sum, e.g. "So the sum is 103.".</summary>
    public static string SumIs(long result) => $"So the sum is {Text(result)}.";

    private static readonly string[] EnglishPlaces = ["units", "tens", "hundreds", "thousands", "ten-thousands", "hundred-thousands", "millions"];

    private static readonly string[] SpanishPlaces = ["unidades", "decenas", "centenas", "millares", "decenas-de-millar", "centenas-de-millar", "millones"];

    private static string PlaceName(string[] places, int place) => place < places.Length ? places[place] : $"10^{place}";

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
