namespace Harness.Serving;

/// <summary>One completion a client asks the service to score, as every protocol's request parses into.</summary>
/// <param name="Gold">The gold answer (OpenRLHF's label, verl's ground truth), which the rewards need.</param>
public sealed record ScoringSample(string Prompt, string Completion, string Gold);

/// <summary>What the service says of one completion: the weighted reward, each term, the detectors' flags, and its final answer as the experiment's answer format found it (null when none).</summary>
public sealed record ScoredSample(double Reward, IReadOnlyDictionary<string, double> Terms, IReadOnlyList<string> Flags, string? Answer);

/// <summary>A scored request: each sample's result, and the batch's aggregates (the detectors' rates, reward and term means, length).</summary>
/// <param name="Step">The training step the service counted the batch in.</param>
public sealed record ScoredBatch(IReadOnlyList<ScoredSample> Samples, IReadOnlyDictionary<string, double> Aggregates, int Step);
