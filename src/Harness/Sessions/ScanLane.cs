using Harness.Abstractions;
using Harness.Catalog;
using Harness.Experiments;
using Harness.Grpo;
using Harness.Runs;
using Harness.Tasks;
using Harness.Training;

namespace Harness.Sessions;

/// <summary>
/// One set of plugin instances that scores completions, used from one thread at a time: a lane of <c>harness scan</c>,
/// or of <c>harness serve</c>. Its own instances of the detectors, and of the rewards (with their weights) run where
/// completions carry a gold answer; every completion is read with the scorer's answer format.
/// </summary>
public sealed record ScanLane(IReadOnlyList<PluginHandle<IDetector>> Detectors, RewardScorer Scorer)
{
    /// <summary>
    /// Scores one chunk of completions of one step: the rewards where every completion has its gold answer (else the
    /// completions keep the reward and terms they came with), then the detectors, which may re-score edited texts. Each
    /// completion comes back with its reward, terms, flags, final answer and advantage (its prompt group's, when the rewards
    /// were scored here); the aggregates are the chunk's (completion length, reward,
    /// each term's mean, every detector's).
    /// </summary>
    public (CompletionRecord[] Records, Dictionary<string, double> Aggregates) Score(IReadOnlyList<CompletionRecord> chunk)
    {
        var step = chunk[0].Step;
        var groups = PromptGroups(chunk);
        var tasks = groups.Select(g => new TaskItem(chunk[g.Start].Prompt, chunk[g.Start].Gold ?? "", "",
            chunk[g.Start].Gold is { } gold ? new Dictionary<string, string> { ["gold"] = gold } : new Dictionary<string, string>())).ToArray();
        var rewards = Scorer.Rewards.Count > 0 && chunk.All(c => c.Gold is not null)
            ? Scorer.Score(tasks, [.. groups.Select(g => (IReadOnlyList<string>)[.. chunk.Skip(g.Start).Take(g.Count).Select(c => c.Completion)])])
            : null;
        // Rewards scored here give each completion its advantage in its prompt group (GRPO's, population std); else
        // the completions keep the advantage their trainer logged, or none.
        var advantages = rewards is null ? null : Advantages.Compute(rewards.Rewards, new AdvantageOptions());
        var scored = groups.SelectMany((g, k) => Enumerable.Range(0, g.Count).Select(j =>
        {
            var c = chunk[g.Start + j];
            return new ScoredCompletion(k, c.Prompt, tasks[k].Fields, c.Completion, c.TokenCount, c.Truncated,
                rewards?.Rewards[k][j] ?? c.Reward, rewards is null ? c.Terms : rewards.Terms.ToDictionary(t => t.Key, t => t.Value[k][j]))
            { Reading = rewards?.Readings[k][j] ?? Scorer.Reader.Read(c.Completion, c.Prompt) };
        })).ToArray();
        var input = Scorer.DetectorInput(step, tasks, scored, rescore: rewards is not null);
        var aggregates = new Dictionary<string, double>
        {
            ["completion_length_mean"] = chunk.Average(c => c.TokenCount),
            ["reward_mean"] = scored.Average(c => c.Reward),
        };
        foreach (var term in scored.SelectMany(c => c.Terms.Keys).Distinct())
            aggregates[$"reward/{term}_mean"] = scored.Average(c => c.Terms.GetValueOrDefault(term));
        var (detected, flags) = Detection.RunAll(Detectors, input, $"at step {step}");
        foreach (var (name, value) in detected) aggregates[name] = value;
        var advantage = advantages is null ? null : advantages.Groups.SelectMany(g => g.Values.Select(v => (double?)v)).ToArray();
        return ([.. chunk.Select((c, i) => c with
        {
            Reward = scored[i].Reward, Terms = scored[i].Terms, Flags = flags[i], Answer = scored[i].Reading?.Answer?.Text, Advantage = advantage?[i] ?? c.Advantage,
        })], aggregates);
    }

    /// <summary>
    /// Runs of consecutive completions with one prompt and gold answer: the groups the trainer sampled (its dumps keep
    /// a prompt's completions together), scored by the rewards as one group. Where a dump mixes them, groups are single.
    /// </summary>
    private static List<(int Start, int Count)> PromptGroups(IReadOnlyList<CompletionRecord> chunk)
    {
        var groups = new List<(int Start, int Count)>();
        for (var i = 0; i < chunk.Count; i++)
            if (groups.Count > 0 && chunk[i].Prompt == chunk[groups[^1].Start].Prompt && chunk[i].Gold == chunk[groups[^1].Start].Gold)
                groups[^1] = (groups[^1].Start, groups[^1].Count + 1);
            else
                groups.Add((i, 1));
        return groups;
    }
}
