using Harness.Abstractions;
using Harness.Grpo;
using Harness.Runs;

namespace Harness.Training;

/// <summary>What the GRPO update measured; absent from a scoring run.</summary>
public sealed record UpdateStats(double Loss, double? Kl, double ClipFraction, double Entropy, double GradNorm, double LearningRate, double Beta,
    double BackwardSeconds, double OptimizerSeconds);

/// <summary>Everything one GRPO step produced that its metrics line reports.</summary>
/// <param name="Completions">The kept completions, in group order.</param>
/// <param name="Rounds">Dynamic sampling's draws (reported only when it is on, with <paramref name="Drawn"/> prompts).</param>
/// <param name="Pass">pass@1 on the held-out sets, on an evaluation step.</param>
public sealed record StepFacts(int Step, IReadOnlyList<SampledCompletion> Completions, ScoredBatch Scored, BatchAdvantages Advantages,
    string PassTerm, bool DynamicSampling, int Rounds, int Drawn, UpdateStats? Update, IReadOnlyDictionary<string, double> DetectorMetrics,
    (double Easy, double Hard)? Pass, double Seconds, double SamplingSeconds, double ScoringSeconds);

/// <summary>
/// A GRPO step's metrics line from what the step produced: rewards and each term, lengths (all, correct and incorrect),
/// truncation, zero-variance groups, the update's statistics, the detectors' metrics, pass@1 and the phases' times.
/// </summary>
public static class StepMetricsAssembly
{
    /// <param name="collision">Told the name of a detector metric that the engine logs itself (the engine's value is kept).</param>
    public static StepMetrics Of(StepFacts f, Action<string> collision)
    {
        var metrics = new StepMetrics(f.Step);
        var lengths = f.Completions.Select(c => (double)c.TokenCount).ToArray();
        var rewards = f.Scored.Rewards.SelectMany(r => r).ToArray();
        metrics.Set("reward_mean", Advantages.Mean(rewards)).Set("reward_std", Advantages.Std(rewards, StdKind.Population));
        foreach (var (name, perGroup) in f.Scored.Terms)
        {
            var values = perGroup.SelectMany(v => v).ToArray();
            metrics.Set($"reward/{name}_mean", Advantages.Mean(values)).Set($"reward/{name}_std", Advantages.Std(values, StdKind.Population));
        }
        metrics.Set("completion_length_mean", lengths.Average()).Set("completion_length_min", lengths.Min()).Set("completion_length_max", lengths.Max())
            .Set("clipped_ratio", f.Completions.Count(c => c.Truncated) / (double)f.Completions.Count)
            .Set("frac_reward_zero_std", f.Advantages.ZeroStdGroups / (double)f.Scored.Rewards.Count)
            .Set("frac_groups_any_correct", f.Scored.FracGroupsAnyCorrect(f.PassTerm));
        if (f.Scored.Terms.TryGetValue(f.PassTerm, out var pass))
        {
            var passed = pass.SelectMany(v => v).Select(v => v > 0).ToArray();
            metrics.Set("completion_length_correct_mean", MeanWhere(lengths, passed, true)).Set("completion_length_incorrect_mean", MeanWhere(lengths, passed, false));
        }
        if (f.DynamicSampling) metrics.Set("sampling_rounds", f.Rounds).Set("prompts_drawn", f.Drawn);
        if (f.Update is { } u)
            metrics.Set("kl", u.Kl).Set("clip_fraction", u.ClipFraction).Set("entropy", u.Entropy).Set("grad_norm", u.GradNorm).Set("loss", u.Loss)
                .Set("learning_rate", u.LearningRate).Set("beta", u.Beta);
        foreach (var (name, value) in f.DetectorMetrics)
        {
            if (metrics.Contains(name)) collision(name);
            else metrics.Set(name, value);
        }
        if (f.Pass is { } p) metrics.Set("pass1_easy", p.Easy).Set("pass1_hard", p.Hard);
        metrics.Set("step_time_s", f.Seconds).Set("sampling_time_s", f.SamplingSeconds).Set("scoring_time_s", f.ScoringSeconds);
        if (f.Update is { } update) metrics.Set("backward_time_s", update.BackwardSeconds).Set("optimizer_time_s", update.OptimizerSeconds);
        return metrics.Set("tokens_per_s", lengths.Sum() / Math.Max(f.Seconds, 1e-9));
    }

    private static double? MeanWhere(double[] values, bool[] which, bool wanted)
    {
        var picked = values.Where((_, i) => which[i] == wanted).ToArray();
        return picked.Length == 0 ? null : picked.Average();
    }
}
