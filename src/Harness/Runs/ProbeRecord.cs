using Harness.Abstractions;

namespace Harness.Runs;

/// <summary>One completion of the probe prompt, with where the detectors found something in it.</summary>
public sealed record ProbeCompletion(string Text, bool Greedy, double Reward, IReadOnlyList<string> Flags, IReadOnlyList<FindingSpan> Spans);

/// <summary>A line of probes.jsonl: the probe prompt's completions at one checkpoint (step 0: before training).</summary>
public sealed record ProbeRecord(int Step, string Prompt, string Gold, IReadOnlyList<ProbeCompletion> Completions);
