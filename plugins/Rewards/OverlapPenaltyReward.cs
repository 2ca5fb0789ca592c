using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Rewards;

/// <summary>
/// The fix for ritual verification: a re-check that only restates the reasoning before it costs
/// <c>penalty</c> × its content overlap (the share of its word pairs already written before the phrase).
/// A re-check that works anew overlaps little and costs little; a completion without one costs nothing.
/// </summary>
[Plugin("overlap-penalty", Description = "-penalty x the share of a re-check's word pairs that restate the text before its phrase")]
public sealed class OverlapPenaltyReward(PluginSettings settings) : IReward
{
    private readonly double _penalty = settings.GetDouble("penalty", 1.0);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("overlap_penalty", group.Completions.Select((c, i) => VerificationPhase.Find(c, Readings.Of(group, i), group.Prompt) is { } phase ? 0 - _penalty * phase.Overlap() : 0.0).ToArray())];
}
