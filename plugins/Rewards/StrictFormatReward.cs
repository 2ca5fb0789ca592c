using System.Text.RegularExpressions;
using Harness.Abstractions;

namespace Harness.Plugins.Rewards;

/// <summary>
/// The fix for format hacking: <c>value</c> only for the exact R1 layout, one think block, then one answer
/// block, then nothing (white space aside), with no tag inside either block. A verification phrase after the
/// answer, a second think block or an answer outside the layout earns 0.
/// </summary>
[Plugin("strict-format", Description = "value when the completion is exactly <think>…</think><answer>…</answer> and nothing after")]
public sealed partial class StrictFormatReward(PluginSettings settings) : IReward
{
    private readonly double _value = settings.GetDouble("value", 0.1);

    public IReadOnlyList<RewardTerm> Score(PromptGroup group) =>
        [new RewardTerm("strict_format", group.Completions.Select(c => IsStrict(c) ? _value : 0.0).ToArray())];

    public static bool IsStrict(string completion) => StrictLayout().IsMatch(completion);

    [GeneratedRegex(@"^\s*<think>(?:(?!</?(?:think|answer)>).)*</think>\s*<answer>(?:(?!</?(?:think|answer)>).)*</answer>\s*$", RegexOptions.Singleline)]
    private static partial Regex StrictLayout();
}
