using System.Text.Json.Serialization;

namespace Harness.Experiments;

/// <summary>The shapes a pretraining corpus's documents can take (<see cref="ShapeShares"/>).</summary>
public enum DocumentShape { Direct, Recheck, Ritual, Substeps, FreeText, AfterAnswer, SpanishRecheck, LoopingRecheck }

/// <summary>
/// How to build a base model: the synthetic corpus (which problems, and how often each answer shape appears)
/// and the training that fits the tiny GPT to it. Keys are camelCase, like experiments.
/// </summary>
public sealed class PretrainRecipe
{
    /// <summary>
    /// A file this one builds on (relative to this file): read first, then overridden key by key by this file.
    /// Lists merge by index, so a list here replaces the base's items one by one.
    /// </summary>
    public string? Extends { get; set; }

    public string Name { get; set; } = "";

    public long Seed { get; set; } = 1;

    /// <summary>Where the base weights are written (the policy's <c>weights</c> setting reads them).</summary>
    public string Output { get; set; } = "";

    public DeviceChoice Device { get; set; } = DeviceChoice.Auto;

    /// <summary>The policy to pretrain; it must learn from text (<c>ITextPolicy</c>), as tiny-gpt does.</summary>
    public PluginReference Policy { get; set; } = new() { Name = "tiny-gpt" };

    /// <summary>The problems: held-out easy and hard sets are excluded from the corpus.</summary>
    public TasksConfig Tasks { get; set; } = new();

    public CorpusConfig Corpus { get; set; } = new();

    public PretrainTraining Training { get; set; } = new();

    /// <summary>How the base is judged when training ends: these rewards and detectors, on the held-out sets.</summary>
    public PretrainEvaluation Evaluation { get; set; } = new();
}

/// <summary>
/// The base model's report card: greedy pass@1 on the held-out easy and hard sets, and on the hard set the
/// share of prompts with at least one correct completion among <c>samples</c> (the pass@K floor RL needs)
/// and the detectors' rates on those samples (is the re-check shape latent, and how rare?).
/// </summary>
public sealed class PretrainEvaluation
{
    /// <summary>The rewards that judge the base; empty means accuracy and format.</summary>
    public List<PluginReference> Rewards { get; set; } = [];

    /// <summary>The detectors run on its samples; empty means self-verification.</summary>
    public List<PluginReference> Detectors { get; set; } = [];

    public IReadOnlyList<PluginReference> RewardsInUse => Rewards.Count > 0 ? Rewards : [new() { Name = "accuracy" }, new() { Name = "format" }];

    public IReadOnlyList<PluginReference> DetectorsInUse => Detectors.Count > 0 ? Detectors : [new() { Name = "self-verification" }];

    public string PassTerm { get; set; } = "accuracy";

    public int Samples { get; set; } = 8;

    public int MaxNewTokens { get; set; } = 160;
}

/// <summary>
/// The share of each document shape (normalised to sum to 1). <c>Direct</c>: the correct answer at once.
/// <c>Recheck</c>: a first guess, a verification phrase, the sum redone column by column, the answer from it.
/// <c>Ritual</c>: a first guess restated after the phrase. <c>Substeps</c>: column additions alone, untagged.
/// <c>FreeText</c>: the problem and its answer in a sentence, with no tags. The failure-mode shapes, for
/// bases that induce them: <c>AfterAnswer</c> (a re-check after the answer block, answered again in a second
/// one: format hacking), <c>SpanishRecheck</c> (the re-check's work in Spanish: language mixing),
/// <c>LoopingRecheck</c> (the re-check's closing line repeated: a repetition loop).
/// </summary>
public class ShapeShares
{
    public double Direct { get; set; }

    public double Recheck { get; set; }

    public double Ritual { get; set; }

    public double Substeps { get; set; }

    public double FreeText { get; set; }

    public double AfterAnswer { get; set; }

    public double SpanishRecheck { get; set; }

    public double LoopingRecheck { get; set; }

    /// <summary>Every shape with its share, in a fixed order.</summary>
    [JsonIgnore]
    public IReadOnlyList<(DocumentShape Shape, double Share)> All =>
    [
        (DocumentShape.Direct, Direct), (DocumentShape.Recheck, Recheck), (DocumentShape.Ritual, Ritual),
        (DocumentShape.Substeps, Substeps), (DocumentShape.FreeText, FreeText),
        (DocumentShape.AfterAnswer, AfterAnswer), (DocumentShape.SpanishRecheck, SpanishRecheck), (DocumentShape.LoopingRecheck, LoopingRecheck),
    ];
}

/// <summary>
/// The corpus: the shape shares of stage 2 (this object's own shares), of stage 1 (<c>stage1</c>; by default
/// sub-step documents only, to teach the column work before the shapes), how often a re-check corrects a
/// wrong first guess, and the verification phrases.
/// </summary>
public sealed class CorpusConfig : ShapeShares
{
    public CorpusConfig()
    {
        Direct = 0.80;
        Recheck = 0.05;
        Ritual = 0.02;
        Substeps = 0.10;
        FreeText = 0.03;
    }

    /// <summary>Share of re-checks (and ritual re-checks) whose first guess is wrong.</summary>
    public double RecheckCorrects { get; set; } = 0.5;

    /// <summary>How many times a looping re-check writes its closing line.</summary>
    public int LoopRepeats { get; set; } = 3;

    /// <summary>Shares in stage 1 (<c>training.stage1Steps</c>); null means sub-step documents only.</summary>
    public ShapeShares? Stage1 { get; set; }

    public ShapeShares Stage1InUse => Stage1 ?? new ShapeShares { Substeps = 1 };

    /// <summary>Verification phrases, drawn uniformly for re-checks and ritual re-checks; empty means <see cref="DefaultPhrases"/>.</summary>
    /// <remarks>Defaults are not set here: the configuration binder would merge a file's list into them item by item.</remarks>
    public List<string> Phrases { get; set; } = [];

    public static IReadOnlyList<string> DefaultPhrases { get; } =
    [
        "Wait, let me re-check:",
        "Wait, let me recheck:",
        "Let me re-check:",
        "Actually, let me verify:",
        "Wait, I made a mistake? Let me redo it:",
        "Method 2: add column by column:",
    ];

    public IReadOnlyList<string> PhrasesInUse => Phrases.Count > 0 ? Phrases : DefaultPhrases;
}

/// <summary>
/// Next-token training on the corpus: <c>stage1Steps</c> at the stage-1 shares, then <c>steps</c> at the
/// corpus's own shares. With no steps at all, nothing is trained: the policy as configured (e.g. its
/// <c>weights</c>) is written and evaluated.
/// </summary>
public sealed class PretrainTraining
{
    public int Stage1Steps { get; set; }

    public int Steps { get; set; } = 2000;

    public int BatchSize { get; set; } = 64;

    public double LearningRate { get; set; } = 3e-3;

    public int WarmupSteps { get; set; } = 100;

    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Cosine;

    public double WeightDecay { get; set; } = 0.01;

    public double GradClip { get; set; } = 1.0;

    public int Threads { get; set; }

    /// <summary>Log and report progress every this many steps.</summary>
    public int LogEvery { get; set; } = 50;

    /// <summary>The update over <paramref name="steps"/> steps: AdamW with β = (0.9, 0.95), as small language models are pretrained.</summary>
    public UpdateSettings Update(int steps) => new(LearningRate, 0.9, 0.95, WeightDecay, GradClip, Schedule, WarmupSteps, steps);
}
