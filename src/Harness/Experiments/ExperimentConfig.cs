using System.Text.Json.Serialization;
using Harness.Answers;
using Harness.Catalog;
using Harness.Grpo;

namespace Harness.Experiments;

/// <summary>
/// An experiment, resolved: its file, its <c>extends</c> chain and the overrides merged, variants parsed into enums, defaults
/// applied and paths absolute (<see cref="ExperimentLoader"/>). The validator, the trainer and the run directory's
/// config.json all use this one object. Keys are camelCase.
/// </summary>
public sealed class ExperimentConfig
{
    /// <summary>
    /// A file this one builds on (relative to this file): read first, then overridden key by key by this file.
    /// Lists merge by index, so a list here replaces the base's items one by one. A loaded experiment is resolved
    /// and has none, so a run directory's config.json never names another file.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Extends { get; set; }

    /// <summary>A short name for the experiment, used in run directory names.</summary>
    public string Name { get; set; } = "";

    /// <summary>Seed of every random choice in the run.</summary>
    public long Seed { get; set; } = 1;

    /// <summary><c>auto</c> (CUDA when available, else CPU), <c>cpu</c> or <c>cuda</c>.</summary>
    public DeviceChoice Device { get; set; } = DeviceChoice.Auto;

    /// <summary>Extra directories to search for plugins, besides the harness's own.</summary>
    public List<string> PluginDirectories { get; set; } = [];

    /// <summary>The policy being trained.</summary>
    public PluginReference? Policy { get; set; }

    /// <summary>The reward plugins; the scalar reward is the weighted sum of their terms.</summary>
    public List<RewardReference> Rewards { get; set; } = [];

    /// <summary>Detectors run on every step's completions.</summary>
    public List<PluginReference> Detectors { get; set; } = [];

    /// <summary>Fix strategies that may adjust training after each step.</summary>
    public List<PluginReference> Fixes { get; set; } = [];

    /// <summary>The GRPO algorithm's settings.</summary>
    public GrpoConfig Grpo { get; set; } = new();

    /// <summary>How completions are generated.</summary>
    public SamplingConfig Sampling { get; set; } = new();

    /// <summary>AdamW, gradient clipping and the learning-rate schedule.</summary>
    public OptimizerConfig Optimizer { get; set; } = new();

    /// <summary>Where prompts and held-out evaluation sets come from.</summary>
    public TasksConfig Tasks { get; set; } = new();

    /// <summary>Where completions write their final answer and whether the template asks for a think block.</summary>
    public AnswerConfig Answer { get; set; } = new();

    /// <summary>Length of the run, checkpoints, evaluation and logging.</summary>
    public RunConfig Run { get; set; } = new();
}

/// <summary>A plugin named in a config, with its settings.</summary>
public class PluginReference
{
    /// <summary>The plugin's name, as <c>harness plugins</c> lists it.</summary>
    public string Name { get; set; } = "";

    /// <summary>Settings handed to the plugin as text.</summary>
    public Dictionary<string, string> Settings { get; set; } = [];

    /// <summary>
    /// The most one call to this plugin may take, in seconds (0: no limit); unset uses
    /// <see cref="RunConfig.PluginTimeLimitSeconds"/>. Policies and sampling fixes take none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TimeLimitSeconds { get; set; }

    /// <summary>This plugin's time limit per call, given the run's default.</summary>
    public TimeSpan TimeLimit(double runDefaultSeconds) => PluginCallGuard.Limit(TimeLimitSeconds ?? runDefaultSeconds);
}

/// <summary>A reward plugin and the weight of every term it produces.</summary>
public sealed class RewardReference : PluginReference
{
    public double Weight { get; set; } = 1.0;
}

/// <summary>GRPO settings; variants go by the names verl and TRL use.</summary>
public sealed class GrpoConfig
{
    /// <summary>Completions sampled per prompt (G).</summary>
    public int GroupSize { get; set; } = 8;

    /// <summary><c>grpo</c>, <c>rloo</c> or <c>reinforce-plus-plus-baseline</c> (verl's <c>adv_estimator</c>).</summary>
    public AdvantageEstimator AdvantageEstimator { get; set; } = AdvantageEstimator.Grpo;

    /// <summary><c>group</c>, <c>batch</c> or <c>none</c>: what the <c>grpo</c> estimator divides by.</summary>
    public AdvantageScale AdvantageScale { get; set; } = AdvantageScale.Group;

    /// <summary><c>population</c> or <c>sample</c>.</summary>
    public StdKind Std { get; set; } = StdKind.Population;

    /// <summary><c>seq-mean-token-mean</c>, <c>token-mean</c>, <c>seq-mean-token-sum</c> or <c>seq-mean-token-sum-norm</c>.</summary>
    public LossAggregation LossAggregation { get; set; } = LossAggregation.TokenMean;

    /// <summary>Prompts per step; each gets <see cref="GroupSize"/> completions.</summary>
    public int PromptsPerStep { get; set; } = 8;

    /// <summary>
    /// Completions scored and back-propagated together in the update; the step's gradients accumulate over its
    /// micro-batches before one optimizer step, the same update as all at once up to float rounding. 0: all at once.
    /// </summary>
    public int MicroBatch { get; set; }

    /// <summary>Optimizer passes over each step's completions (μ); the first uses them as sampled.</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Lower clip range ε_low: the ratio is clipped at 1 − ε_low.</summary>
    public double ClipLow { get; set; } = 0.2;

    /// <summary>Upper clip range ε_high: the ratio is clipped at 1 + ε_high (DAPO raises it to 0.28).</summary>
    public double ClipHigh { get; set; } = 0.2;

    /// <summary>Weight β of the KL penalty to the frozen reference policy; 0 loads no reference.</summary>
    public double Beta { get; set; }

    /// <summary>KL estimator: <c>k1</c>, <c>k2</c> or <c>k3</c>.</summary>
    public KlEstimator Kl { get; set; } = KlEstimator.K3;

    /// <summary>Dr. GRPO's fixed length for <c>seq-mean-token-sum-norm</c>; 0 uses <c>sampling.maxNewTokens</c>.</summary>
    public int NormLength { get; set; }

    /// <summary><c>vanilla</c> (the clipped surrogate), <c>gspo</c> or <c>cispo</c> (verl's <c>policy_loss.loss_mode</c>).</summary>
    public PolicyLossKind PolicyLoss { get; set; } = PolicyLossKind.Vanilla;

    /// <summary>GSPO's ε_low on the sequence ratio.</summary>
    public double SequenceClipLow { get; set; } = 3e-4;

    /// <summary>GSPO's ε_high on the sequence ratio.</summary>
    public double SequenceClipHigh { get; set; } = 4e-4;

    /// <summary>DAPO's dynamic sampling: drop groups whose rewards are all equal and draw more prompts to fill the step.</summary>
    public bool DynamicSampling { get; set; }

    /// <summary>With dynamic sampling, the most batches of prompts drawn for one step (verl's <c>max_num_gen_batches</c>).</summary>
    public int MaxSamplingRounds { get; set; } = 4;

    /// <summary>DAPO's overlong buffer L_cache in tokens: the reward falls linearly over the last L_cache tokens before the limit; 0 is off.</summary>
    public int OverlongBuffer { get; set; }

    /// <summary>The overlong penalty at the generation limit.</summary>
    public double OverlongPenalty { get; set; } = 1.0;

    /// <summary>Leave truncated completions out of the loss (TRL's <c>mask_truncated_completions</c>); they still count in the advantages.</summary>
    public bool MaskTruncated { get; set; }
}

/// <summary>Generation settings for training samples (evaluation decodes greedily).</summary>
public sealed class SamplingConfig
{
    public int MaxNewTokens { get; set; } = 96;

    public double Temperature { get; set; } = 1.0;

    public double TopP { get; set; } = 1.0;
}

/// <summary>AdamW with global-norm gradient clipping and a learning-rate schedule.</summary>
public sealed class OptimizerConfig
{
    public double LearningRate { get; set; } = 1e-3;

    public double Beta1 { get; set; } = 0.9;

    public double Beta2 { get; set; } = 0.99;

    public double WeightDecay { get; set; }

    /// <summary>Largest global gradient norm; gradients above it are scaled down. 0 turns clipping off.</summary>
    public double GradClip { get; set; } = 1.0;

    /// <summary><c>constant</c>, <c>linear</c> (decay to 0) or <c>cosine</c> (decay to 0).</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>Steps of linear warm-up from 0 before the schedule.</summary>
    public int WarmupSteps { get; set; }
}

/// <summary>
/// The task source: the arithmetic generator (addition, by digits, operands and carries) or a task file (JSON Lines or
/// Parquet in our layout, GSM8K's, MATH's, verl's or TRL's).
/// </summary>
public sealed class TasksConfig
{
    /// <summary><c>arithmetic</c> or <c>file</c>.</summary>
    public TaskSource Source { get; set; } = TaskSource.Arithmetic;

    /// <summary>The task file (JSON Lines or Parquet), when <see cref="Source"/> is <c>file</c>.</summary>
    public string File { get; set; } = "";

    /// <summary>The task file's layout: <c>auto</c> (told by content), <c>harness</c>, <c>gsm8k</c>, <c>math</c>, <c>verl</c> or <c>trl</c>.</summary>
    public DatasetLayout Format { get; set; } = DatasetLayout.Auto;

    /// <summary>A file of held-out problems for pass@1 (same layouts); empty to hold out part of <see cref="File"/>.</summary>
    public string EvalFile { get; set; } = "";

    /// <summary>The share of <see cref="File"/>'s rows held out for pass@1 when there is no eval file; 0 picks <see cref="EvalSize"/> labelled rows.</summary>
    public double EvalFraction { get; set; }

    public int Operands { get; set; } = 2;

    public int Digits { get; set; } = 2;

    /// <summary>Training prompts have at least this many carries.</summary>
    public int MinCarries { get; set; }

    /// <summary>Training prompts have at most this many carries; -1 means no limit.</summary>
    public int MaxCarries { get; set; } = -1;

    /// <summary>Problems with at most this many carries are easy (the held-out easy set).</summary>
    public int EasyMaxCarries { get; set; }

    /// <summary>Problems with at least this many carries are hard (the held-out hard set).</summary>
    public int HardMinCarries { get; set; } = 2;

    /// <summary>Size of each held-out evaluation set (easy and hard).</summary>
    public int EvalSize { get; set; } = 64;
}

/// <summary>How the experiment's completions are read: every reward, detector, evaluation, scan and served score uses it.</summary>
public sealed class AnswerConfig
{
    /// <summary><c>tags</c>, <c>boxed</c>, <c>gsm8k</c>, <c>answer-is</c>, <c>last-number</c>, <c>choice</c> or <c>auto</c>.</summary>
    public AnswerFormat Format { get; set; } = AnswerFormat.Auto;

    /// <summary><c>optional</c>, or <c>required</c> when the template asks for a think block (R1-Zero's).</summary>
    public ThinkLayout Think { get; set; } = ThinkLayout.Optional;

    /// <summary>The reader this section describes.</summary>
    public CompletionReader Reader() => new(Format, Think);
}

/// <summary>How long a run lasts and what it writes.</summary>
public sealed class RunConfig
{
    public int Steps { get; set; } = 50;

    /// <summary>Write a checkpoint every this many steps (and after the last).</summary>
    public int CheckpointEvery { get; set; } = 10;

    /// <summary>Evaluate pass@1 on the held-out sets every this many steps (and at the first and last).</summary>
    public int EvalEvery { get; set; } = 10;

    /// <summary>Completions written to completions.jsonl per step.</summary>
    public int SamplesPerStep { get; set; } = 4;

    /// <summary>
    /// Sampled completions of the probe prompt (the first held-out hard problem) at the start and at every
    /// checkpoint, besides its greedy completion: the comparator of the report.
    /// </summary>
    public int ProbeSamples { get; set; } = 2;

    /// <summary>
    /// Steps a series detector's new verdict must hold in a row before the run announces it (events.jsonl, the
    /// console, the aha checkpoint); the first verdict and the one at the last step are announced at once.
    /// </summary>
    public int VerdictHold { get; set; } = 3;

    /// <summary>libtorch threads; 0 uses one per core.</summary>
    public int Threads { get; set; }

    /// <summary>The reward term that decides correctness for pass@1: a completion passes when it is positive.</summary>
    public string PassTerm { get; set; } = "accuracy";

    /// <summary>
    /// The most one call to a reward, detector, series detector or fix strategy may take, in seconds, unless its
    /// entry sets <c>timeLimitSeconds</c>; 0 means no limit. Past it the run stops with an error naming the plugin.
    /// </summary>
    public double PluginTimeLimitSeconds { get; set; } = DefaultPluginTimeLimitSeconds;

    /// <summary>The default of <see cref="PluginTimeLimitSeconds"/>, also used where no run config applies (pretraining, reports).</summary>
    public const double DefaultPluginTimeLimitSeconds = 60;
}
