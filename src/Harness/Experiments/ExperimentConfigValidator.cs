using Microsoft.Extensions.Options;
using Harness.Core;
using Harness.Grpo;

namespace Harness.Experiments;

/// <summary>Checks an experiment config; each failure names the field by its path in the JSON file.</summary>
public sealed class ExperimentConfigValidator : IValidateOptions<ExperimentConfig>
{
    public ValidateOptionsResult Validate(string? name, ExperimentConfig config)
    {
        var failures = new List<string>();
        if (config.Seed < 0) failures.Add($"seed must be 0 or more (got {config.Seed})");
        if (config.Policy is null || string.IsNullOrWhiteSpace(config.Policy.Name)) failures.Add("policy.name is required");
        if (config.Rewards.Count == 0) failures.Add("rewards must name at least one reward plugin");
        for (var i = 0; i < config.Rewards.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(config.Rewards[i].Name)) failures.Add($"rewards[{i}].name is required");
            if (!double.IsFinite(config.Rewards[i].Weight)) failures.Add($"rewards[{i}].weight must be a finite number (got {config.Rewards[i].Weight})");
        }
        RequireNames(failures, "detectors", config.Detectors);
        RequireNames(failures, "fixes", config.Fixes);
        TimeLimits(failures, config.Policy, ("rewards", config.Rewards), ("detectors", config.Detectors), ("fixes", config.Fixes));
        if (config.Grpo.GroupSize < 2) failures.Add($"grpo.groupSize must be at least 2 (got {config.Grpo.GroupSize})");
        var g = config.Grpo;
        Check(failures, g.PromptsPerStep >= 1, "grpo.promptsPerStep must be at least 1", g.PromptsPerStep);
        Check(failures, g.Epochs >= 1, "grpo.epochs must be at least 1", g.Epochs);
        Check(failures, g.MicroBatch >= 0, "grpo.microBatch must be 0 (all at once) or a number of completions", g.MicroBatch);
        Check(failures, g.ClipLow is > 0 and < 1, "grpo.clipLow must be between 0 and 1, exclusive", g.ClipLow);
        Check(failures, g.ClipHigh > 0 && double.IsFinite(g.ClipHigh), "grpo.clipHigh must be positive", g.ClipHigh);
        Check(failures, g.Beta >= 0 && double.IsFinite(g.Beta), "grpo.beta must be 0 or more", g.Beta);
        Check(failures, g.NormLength >= 0, "grpo.normLength must be 0 or more", g.NormLength);
        Check(failures, g.SequenceClipLow is > 0 and < 1, "grpo.sequenceClipLow must be between 0 and 1, exclusive", g.SequenceClipLow);
        Check(failures, g.SequenceClipHigh > 0 && double.IsFinite(g.SequenceClipHigh), "grpo.sequenceClipHigh must be positive", g.SequenceClipHigh);
        Check(failures, g.MaxSamplingRounds >= 1, "grpo.maxSamplingRounds must be at least 1", g.MaxSamplingRounds);
        Check(failures, g.OverlongBuffer >= 0 && (g.OverlongBuffer == 0 || g.OverlongBuffer < config.Sampling.MaxNewTokens),
            $"grpo.overlongBuffer must be 0 (off) or less than sampling.maxNewTokens ({config.Sampling.MaxNewTokens})", g.OverlongBuffer);
        Check(failures, g.OverlongPenalty >= 0 && double.IsFinite(g.OverlongPenalty), "grpo.overlongPenalty must be 0 or more", g.OverlongPenalty);
        if (g.AdvantageEstimator != AdvantageEstimator.Grpo && (g.AdvantageScale != AdvantageScale.Group || g.Std != StdKind.Population))
            failures.Add($"grpo.advantageScale and grpo.std shape the grpo estimator only; {VariantName.Of(g.AdvantageEstimator)} has its own baseline and scale: leave them at their defaults");
        var s = config.Sampling;
        Check(failures, s.MaxNewTokens >= 1, "sampling.maxNewTokens must be at least 1", s.MaxNewTokens);
        Check(failures, s.Temperature >= 0 && double.IsFinite(s.Temperature), "sampling.temperature must be 0 or more", s.Temperature);
        Check(failures, s.TopP is > 0 and <= 1, "sampling.topP must be in (0, 1]", s.TopP);
        var o = config.Optimizer;
        Check(failures, o.LearningRate > 0 && double.IsFinite(o.LearningRate), "optimizer.learningRate must be positive", o.LearningRate);
        Check(failures, o.Beta1 is >= 0 and < 1, "optimizer.beta1 must be in [0, 1)", o.Beta1);
        Check(failures, o.Beta2 is >= 0 and < 1, "optimizer.beta2 must be in [0, 1)", o.Beta2);
        Check(failures, o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), "optimizer.weightDecay must be 0 or more", o.WeightDecay);
        Check(failures, o.GradClip >= 0 && double.IsFinite(o.GradClip), "optimizer.gradClip must be 0 (off) or more", o.GradClip);
        Check(failures, o.WarmupSteps >= 0, "optimizer.warmupSteps must be 0 or more", o.WarmupSteps);
        ValidateTasks(failures, config.Tasks);
        var r = config.Run;
        Check(failures, r.Steps >= 1, "run.steps must be at least 1", r.Steps);
        Check(failures, r.CheckpointEvery >= 1, "run.checkpointEvery must be at least 1", r.CheckpointEvery);
        Check(failures, r.VerdictHold >= 1, "run.verdictHold must be at least 1", r.VerdictHold);
        Check(failures, r.EvalEvery >= 1, "run.evalEvery must be at least 1", r.EvalEvery);
        Check(failures, r.SamplesPerStep >= 0, "run.samplesPerStep must be 0 or more", r.SamplesPerStep);
        Check(failures, r.ProbeSamples >= 0, "run.probeSamples must be 0 or more", r.ProbeSamples);
        Check(failures, r.Threads >= 0, "run.threads must be 0 (one per core) or more", r.Threads);
        if (string.IsNullOrWhiteSpace(r.PassTerm)) failures.Add("run.passTerm must name a reward term");
        CheckTimeLimit(failures, "run.pluginTimeLimitSeconds", r.PluginTimeLimitSeconds);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The rules of a <c>tasks</c> section, wherever it appears (experiments, pretraining recipes).</summary>
    internal static void ValidateTasks(List<string> failures, TasksConfig t)
    {
        Check(failures, t.Operands is >= 2 and <= 8, "tasks.operands must be from 2 to 8", t.Operands);
        Check(failures, t.Digits is >= 1 and <= 12, "tasks.digits must be from 1 to 12", t.Digits);
        Check(failures, t.MinCarries >= 0, "tasks.minCarries must be 0 or more", t.MinCarries);
        Check(failures, t.MaxCarries == -1 || t.MaxCarries >= t.MinCarries, "tasks.maxCarries must be -1 (no limit) or at least tasks.minCarries", t.MaxCarries);
        Check(failures, t.EasyMaxCarries >= 0, "tasks.easyMaxCarries must be 0 or more", t.EasyMaxCarries);
        Check(failures, t.HardMinCarries > t.EasyMaxCarries, "tasks.hardMinCarries must be more than tasks.easyMaxCarries", t.HardMinCarries);
        Check(failures, t.EvalSize >= 1, "tasks.evalSize must be at least 1", t.EvalSize);
        if (t.Source == TaskSource.File && string.IsNullOrWhiteSpace(t.File)) failures.Add("tasks.file is required when tasks.source is file");
        Check(failures, t.EvalFraction is >= 0 and < 1, "tasks.evalFraction must be 0 (none) or more, below 1", t.EvalFraction);
        if (t.EvalFile.Length > 0 && t.EvalFraction > 0) failures.Add("tasks.evalFile and tasks.evalFraction are both set: hold out one way");
    }

    internal static void Check(List<string> failures, bool ok, string rule, object value)
    {
        if (!ok) failures.Add(FormattableString.Invariant($"{rule} (got {value})"));
    }

    /// <summary>
    /// The time-limit rules of plugin entries, wherever they appear (experiments, pretraining recipes): from 0 (no
    /// limit) to <see cref="MaxTimeLimitSeconds"/>, and none on a policy.
    /// </summary>
    internal static void TimeLimits(List<string> failures, PluginReference? policy, params (string Field, IEnumerable<PluginReference> References)[] lists)
    {
        // The policy's calls are the training itself: they run on the training thread, whose libtorch grad mode
        // and TorchSharp dispose scopes are per thread, so they cannot be moved to a guarded thread.
        if (policy?.TimeLimitSeconds is not null)
            failures.Add("policy.timeLimitSeconds is not supported: policy calls run on the training thread and have no time limit");
        foreach (var (field, references) in lists)
            foreach (var (reference, i) in references.Select((r, i) => (r, i)))
                if (reference.TimeLimitSeconds is { } seconds)
                    CheckTimeLimit(failures, $"{field}[{i}].timeLimitSeconds", seconds);
    }

    /// <summary>The largest time limit, about 11.5 days: a wait longer than 24.8 days cannot be expressed.</summary>
    public const double MaxTimeLimitSeconds = 1e6;

    private static void CheckTimeLimit(List<string> failures, string field, double seconds) =>
        Check(failures, seconds is >= 0 and <= MaxTimeLimitSeconds, $"{field} must be from 0 (no limit) to {MaxTimeLimitSeconds:0}", seconds);

    private static void RequireNames(List<string> failures, string field, IReadOnlyList<PluginReference> references)
    {
        for (var i = 0; i < references.Count; i++)
            if (string.IsNullOrWhiteSpace(references[i].Name)) failures.Add($"{field}[{i}].name is required");
    }
}
