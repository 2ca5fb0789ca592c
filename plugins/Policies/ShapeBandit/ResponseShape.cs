using Harness.Pretraining;

namespace Harness.Plugins.Policies.ShapeBandit;

/// <summary>
/// The answer shapes of the seed: a direct answer; an answer followed by a real re-check that redoes the sum
/// column by column and answers from it; and a ritual re-check that restates the first guess and answers with it.
/// </summary>
public enum ResponseShape { Direct, Recheck, Ritual }

public static class ResponseShapes
{
    public static IReadOnlyList<ResponseShape> All { get; } = Enum.GetValues<ResponseShape>();

    public static string Name(ResponseShape shape) => shape.ToString().ToLowerInvariant();

    /// <summary>The completion text of a shape, given the first guess and the re-check's result.</summary>
    public static string Render(ResponseShape shape, IReadOnlyList<long> operands, long guess, long recheck) => shape switch
    {
        ResponseShape.Direct => AnswerText.Direct(operands, guess),
        ResponseShape.Ritual => AnswerText.Ritual(operands, guess),
        ResponseShape.Recheck => AnswerText.Recheck(operands, guess, recheck),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };
}
