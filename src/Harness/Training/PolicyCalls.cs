using Harness.Abstractions;

namespace Harness.Training;

/// <summary>Calls into a policy plugin that turn its failures into errors naming the policy and the moment.</summary>
public static class PolicyCalls
{
    public static TokenScores Score(ITrainablePolicy policy, string name, ScoringRequest request, string when)
    {
        try
        {
            return policy.Score(request);
        }
        catch (Exception e) when (e is not HarnessException and not OutOfMemoryException)
        {
            throw new HarnessException($"Policy '{name}' failed to score completions {when}: {e.Message}", e);
        }
    }
}
