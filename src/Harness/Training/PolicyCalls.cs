using Harness.Abstractions;

namespace Harness.Training;

/// <summary>Calls into a policy plugin that turn its failures into errors naming the policy and the moment.</summary>
public static class PolicyCalls
{
    public static TokenScores Score(ITrainablePolicy policy, string name, ScoringRequest request, string when) =>
        Call(() => policy.Score(request), $"Policy '{name}' failed to score completions {when}");

    public static IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(IPolicy policy, string name, SamplingRequest request, string when) =>
        Call(() => policy.Sample(request), $"Policy '{name}' failed to sample {when}");

    private static T Call<T>(Func<T> call, string failure)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is not HarnessException and not OutOfMemoryException)
        {
            throw new HarnessException($"{failure}: {e.Message}", e);
        }
    }
}
