namespace Harness.Abstractions;

/// <summary>
/// A detector: reads one step's scored completions and reports what it sees, per completion (flags and
/// values) and for the step as a whole (aggregates that become metrics).
/// </summary>
public interface IDetector
{
    /// <summary>Examines one step's completions.</summary>
    /// <param name="step">The step's completions with their rewards.</param>
    /// <returns>Findings for each completion, in the input's order, and the step's aggregates.</returns>
    DetectorReport Detect(DetectorInput step);
}

/// <summary>What a detector reads: one step's completions, each with its rewards.</summary>
/// <param name="Step">The training step these completions were sampled at.</param>
/// <param name="Completions">The step's completions across all prompt groups.</param>
public sealed record DetectorInput(int Step, IReadOnlyList<ScoredCompletion> Completions)
{
    /// <summary>
    /// Scores an edited text in place of one completion with the run's rewards and returns each reward term's
    /// value, like <see cref="ScoredCompletion.Terms"/> (contract 1.3): for ablations, e.g. the answer a
    /// completion gave before its re-check. The first argument is the completion's index in
    /// <see cref="Completions"/>. Null when the caller has no rewards.
    /// </summary>
    public Func<int, string, IReadOnlyDictionary<string, double>>? Rescore { get; init; }

    /// <summary>
    /// The answer a stretch of text reaches (contract 1.6), for ablations such as the answer a completion gave before
    /// its re-check: the experiment's answer format's final answer in the text, else the last number or value it
    /// states; null when it states none. Null when the caller reads no answers.
    /// </summary>
    public Func<string, FinalAnswer?>? AnswerReached { get; init; }
}

/// <summary>One sampled completion and how it was scored.</summary>
/// <param name="Group">Index of the prompt group it belongs to within the step.</param>
/// <param name="Prompt">The prompt text.</param>
/// <param name="Task">The task's columns for the prompt, e.g. <c>"gold"</c>.</param>
/// <param name="Text">The completion text.</param>
/// <param name="TokenCount">How many tokens the policy generated.</param>
/// <param name="Truncated">Whether generation stopped at the token limit rather than by itself.</param>
/// <param name="Reward">The combined (weighted) reward.</param>
/// <param name="Terms">Each reward term's value for this completion, by term name.</param>
public sealed record ScoredCompletion(
    int Group,
    string Prompt,
    IReadOnlyDictionary<string, string> Task,
    string Text,
    int TokenCount,
    bool Truncated,
    double Reward,
    IReadOnlyDictionary<string, double> Terms)
{
    /// <summary>The completion as the host read it with the experiment's answer format (contract 1.6): its final answer and reasoning.</summary>
    public CompletionReading? Reading { get; init; }
}

/// <summary>A detector's findings for one step.</summary>
/// <param name="Completions">Findings per completion, in the input's order.</param>
/// <param name="Aggregates">Step-level values by metric name, e.g. <c>"self_verify_rate"</c>.</param>
public sealed record DetectorReport(IReadOnlyList<CompletionFindings> Completions, IReadOnlyDictionary<string, double> Aggregates);

/// <summary>A detector's findings for one completion.</summary>
/// <param name="Flags">Names of what was found, e.g. the phrases present.</param>
/// <param name="Values">Measured values by name, e.g. a phrase's position.</param>
public sealed record CompletionFindings(IReadOnlyList<string> Flags, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>Where in the text each finding sits (contract 1.2), for highlighting; empty when the detector does not say.</summary>
    public IReadOnlyList<FindingSpan> Spans { get; init; } = [];
}

/// <summary>A stretch of a completion's text that a detector found.</summary>
/// <param name="Start">Offset of its first character.</param>
/// <param name="Length">Its length in characters.</param>
/// <param name="Label">What it is, e.g. the phrase's name.</param>
public sealed record FindingSpan(int Start, int Length, string Label);
