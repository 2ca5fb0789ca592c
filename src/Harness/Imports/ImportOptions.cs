namespace Harness.Imports;

/// <summary>How to read a run.</summary>
/// <param name="Format">The format, when not told by content.</param>
/// <param name="PassMetric">The series that is pass@1 on the hard held-out set (ours: <c>pass1_hard</c>); by its name in the source or ours.</param>
public sealed record ImportOptions(RunFormat? Format = null, string? PassMetric = null);
