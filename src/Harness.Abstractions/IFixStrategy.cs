namespace Harness.Abstractions;

/// <summary>
/// A fix strategy: watches the training metrics after each step and may adjust training, e.g. lower the
/// learning rate and raise β when the self-verification rate falls back (a premature plateau).
/// </summary>
public interface IFixStrategy
{
    /// <summary>Reviews one finished step.</summary>
    /// <param name="review">The step's metrics and the current training settings.</param>
    /// <returns>The adjustment to apply before the next step, or <c>null</c> to leave training as it is.</returns>
    FixDecision? Review(StepReview review);
}

/// <summary>What a fix strategy sees after a step.</summary>
/// <param name="Step">The step that just finished.</param>
/// <param name="Metrics">That step's metrics by name, as written to <c>metrics.jsonl</c>.</param>
/// <param name="LearningRate">The learning rate in force.</param>
/// <param name="Beta">The KL coefficient β in force.</param>
public sealed record StepReview(int Step, IReadOnlyDictionary<string, double> Metrics, double LearningRate, double Beta);

/// <summary>An adjustment a fix strategy asks for; the host logs it with its reason.</summary>
/// <param name="LearningRate">The new learning rate, or <c>null</c> to keep it.</param>
/// <param name="Beta">The new KL coefficient β, or <c>null</c> to keep it.</param>
/// <param name="Reason">Why, in one line, for the log and the run's record.</param>
public sealed record FixDecision(double? LearningRate, double? Beta, string Reason);
