using Harness.Abstractions;
using Harness.Answers;
using Harness.Experiments;
using Harness.Grpo;
using Harness.Tasks;

namespace Harness.Training;

/// <summary>Every reward term of every completion in a batch of groups, the weighted total, and how each completion was read.</summary>
/// <param name="Terms">Term name → values per group, in group order.</param>
/// <param name="Rewards">The weighted total per completion, per group.</param>
/// <param name="Readings">Each completion's final answer and reasoning, per group.</param>
public sealed record ScoredBatch(IReadOnlyDictionary<string, double[][]> Terms, IReadOnlyList<double[]> Rewards, IReadOnlyList<CompletionReading[]> Readings)
{
    /// <summary>Every completion with its reward, terms and reading, as detectors read them, in group order.</summary>
    public ScoredCompletion[] Flatten(IReadOnlyList<TaskItem> tasks, IReadOnlyList<IReadOnlyList<SampledCompletion>> groups) =>
        [.. groups.SelectMany((group, g) => group.Select((c, i) => new ScoredCompletion(g, tasks[g].Prompt, tasks[g].Fields,
            c.Text, c.TokenCount, c.Truncated, Rewards[g][i], Terms.ToDictionary(t => t.Key, t => t.Value[g][i])) { Reading = Readings[g][i] }))];

    /// <summary>
    /// The pass@G floor: the share of groups with at least one completion whose <paramref name="passTerm"/> is
    /// positive; null when no reward gives that term.
    /// </summary>
    public double? FracGroupsAnyCorrect(string passTerm) =>
        Terms.TryGetValue(passTerm, out var pass) ? pass.Count(group => group.Any(v => v > 0)) / (double)pass.Length : null;

    /// <summary>This batch with one more term, added to each completion's reward with <paramref name="weight"/>.</summary>
    public ScoredBatch WithTerm(string name, double[][] values, double weight)
    {
        if (Terms.ContainsKey(name))
            throw new HarnessException($"A reward plugin returns a term named '{name}', which the engine adds itself; rename the plugin's term.");
        var terms = new Dictionary<string, double[][]>(Terms) { [name] = values };
        return this with { Terms = terms, Rewards = [.. Rewards.Select((r, g) => r.Select((v, i) => v + weight * values[g][i]).ToArray())] };
    }

    /// <summary>The chosen groups of several batches scored alike, numbered in the batches' order.</summary>
    public static ScoredBatch Join(IReadOnlyList<ScoredBatch> batches, IReadOnlyList<int> groups)
    {
        if (batches.Count == 1 && groups.Count == batches[0].Rewards.Count && groups.Select((g, i) => g == i).All(same => same)) return batches[0];
        var names = batches[0].Terms.Keys.ToHashSet();
        if (batches.FirstOrDefault(b => !b.Terms.Keys.ToHashSet().SetEquals(names)) is { } odd)
            throw new HarnessException($"The rewards returned terms {string.Join(", ", odd.Terms.Keys)} on one draw and {string.Join(", ", names)} on another; "
                + "dynamic sampling joins draws and needs the same terms on each.");
        T[] Pick<T>(Func<ScoredBatch, IReadOnlyList<T>> part) { var all = batches.SelectMany(part).ToArray(); return [.. groups.Select(g => all[g])]; }
        return new ScoredBatch(names.ToDictionary(n => n, n => Pick(b => b.Terms[n])), Pick(b => b.Rewards), Pick(b => b.Readings));
    }
}

/// <summary>
/// The experiment's rewards with its way of reading completions: reads each completion once (its final answer and
/// reasoning, <see cref="CompletionReader"/>), runs each reward plugin on each group with those readings, and checks
/// what comes back: one value per completion, each a finite number, and no term named by two plugins. A failure names
/// the plugin, the prompt and the completion.
/// </summary>
public sealed class RewardScorer(IReadOnlyList<WeightedReward> rewards, CompletionReader reader)
{
    public IReadOnlyList<WeightedReward> Rewards => rewards;

    public CompletionReader Reader => reader;

    /// <summary>Scores groups of sampled completions by their text.</summary>
    public ScoredBatch Score(IReadOnlyList<TaskItem> tasks, IReadOnlyList<IReadOnlyList<SampledCompletion>> groups) =>
        Score(tasks, [.. groups.Select(g => (IReadOnlyList<string>)[.. g.Select(c => c.Text)])]);

    public ScoredBatch Score(IReadOnlyList<TaskItem> tasks, IReadOnlyList<IReadOnlyList<string>> groups)
    {
        var readings = groups.Select((g, k) => g.Select(text => reader.Read(text, tasks[k].Prompt)).ToArray()).ToArray();
        var terms = new Dictionary<string, double[][]>();
        var owners = new Dictionary<string, string>();
        var weights = new Dictionary<string, double>();
        foreach (var reward in rewards)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                var returned = Call(reward, tasks[g], groups[g], readings[g]);
                foreach (var term in returned)
                {
                    if (term?.Name is null || term.Values is null)
                        throw reward.Plugin.Fault(ScoreCall(tasks[g]), "returned a term without a name or values");
                    if (owners.TryGetValue(term.Name, out var owner) && owner != reward.Name)
                        throw new HarnessException($"Reward plugins '{owner}' and '{reward.Name}' both return a term named '{term.Name}'.");
                    owners[term.Name] = reward.Name;
                    weights[term.Name] = reward.Weight;
                    Check(reward, term, tasks[g], groups[g]);
                    if (!terms.TryGetValue(term.Name, out var perGroup)) terms[term.Name] = perGroup = new double[groups.Count][];
                    perGroup[g] = [.. term.Values];
                }
            }
        }
        foreach (var (name, perGroup) in terms)
            if (Array.IndexOf(perGroup, null) is var missing and >= 0)
                throw new HarnessException($"Reward plugin '{owners[name]}' returned term '{name}' for some prompts but not for \"{tasks[missing].Prompt}\".");
        var totals = Enumerable.Range(0, groups.Count).Select(g => RewardCombiner.Combine(
            terms.ToDictionary(t => t.Key, t => (IReadOnlyList<double>)t.Value[g]), weights, groups[g].Count)).ToArray();
        return new ScoredBatch(terms, totals, readings);
    }

    /// <summary>
    /// What detectors read for one step: its scored completions, the answer a stretch of text reaches (for ablations), and,
    /// when the caller scored them, the reward terms of an edited text scored alone in place of completion <c>i</c>.
    /// </summary>
    public DetectorInput DetectorInput(int step, IReadOnlyList<TaskItem> tasks, IReadOnlyList<ScoredCompletion> completions, bool rescore = true) =>
        new(step, completions)
        {
            Rescore = rescore ? (i, text) => Score([tasks[completions[i].Group]], [(IReadOnlyList<string>)[text]]).Terms.ToDictionary(t => t.Key, t => t.Value[0][0]) : null,
            AnswerReached = reader.Reached,
        };

    private static IReadOnlyList<RewardTerm> Call(WeightedReward reward, TaskItem task, IReadOnlyList<string> completions, CompletionReading[] readings) =>
        reward.Plugin.Call(ScoreCall(task), r => r.Score(new PromptGroup(task.Prompt, task.Fields, completions) { Readings = readings }));

    private static string ScoreCall(TaskItem task) => $"Score on prompt \"{task.Prompt}\"";

    private static void Check(WeightedReward reward, RewardTerm term, TaskItem task, IReadOnlyList<string> completions)
    {
        if (term.Values.Count != completions.Count)
            throw reward.Plugin.Fault(ScoreCall(task), $"term '{term.Name}' has {term.Values.Count} values for {completions.Count} completions");
        for (var i = 0; i < completions.Count; i++)
            if (!double.IsFinite(term.Values[i]))
                throw reward.Plugin.Fault(ScoreCall(task), FormattableString.Invariant(
                    $"term '{term.Name}' is {term.Values[i]} for completion {i}, \"{Shorten(completions[i])}\""));
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
