using System.Text.Json;
using Harness.Experiments;
using Harness.Training;
using Microsoft.Extensions.Options;

namespace Harness.Pretraining;

/// <summary>Checks a pretraining recipe; each failure names the field by its JSON path.</summary>
public sealed class PretrainRecipeValidator : IValidateOptions<PretrainRecipe>
{
    public ValidateOptionsResult Validate(string? name, PretrainRecipe recipe)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(recipe.Output)) failures.Add("output (the weights file to write) is required");
        if (string.IsNullOrWhiteSpace(recipe.Policy.Name)) failures.Add("policy.name is required");
        ExperimentConfigValidator.ValidateTasks(failures, recipe.Tasks);
        ExperimentConfigValidator.TimeLimits(failures, recipe.Policy, ("evaluation.rewards", recipe.Evaluation.Rewards), ("evaluation.detectors", recipe.Evaluation.Detectors));
        var c = recipe.Corpus;
        ValidateShares(failures, "corpus", c);
        if (c.Stage1 is not null) ValidateShares(failures, "corpus.stage1", c.Stage1);
        ExperimentConfigValidator.Check(failures, c.RecheckCorrects is >= 0 and <= 1, "corpus.recheckCorrects must be between 0 and 1", c.RecheckCorrects);
        ExperimentConfigValidator.Check(failures, c.LoopRepeats >= 2, "corpus.loopRepeats must be at least 2", c.LoopRepeats);
        for (var i = 0; i < c.Phrases.Count; i++)
            if (string.IsNullOrWhiteSpace(c.Phrases[i])) failures.Add($"corpus.phrases[{i}] is empty");
        var t = recipe.Training;
        ExperimentConfigValidator.Check(failures, t.Steps >= 0, "training.steps must be 0 (evaluate the policy's weights only) or more", t.Steps);
        ExperimentConfigValidator.Check(failures, t.Stage1Steps >= 0, "training.stage1Steps must be 0 or more", t.Stage1Steps);
        ExperimentConfigValidator.Check(failures, t.BatchSize >= 1, "training.batchSize must be at least 1", t.BatchSize);
        ExperimentConfigValidator.Check(failures, t.LearningRate > 0 && double.IsFinite(t.LearningRate), "training.learningRate must be positive", t.LearningRate);
        ExperimentConfigValidator.Check(failures, t.WarmupSteps >= 0, "training.warmupSteps must be 0 or more", t.WarmupSteps);
        ExperimentConfigValidator.Check(failures, t.WeightDecay >= 0, "training.weightDecay must be 0 or more", t.WeightDecay);
        ExperimentConfigValidator.Check(failures, t.GradClip >= 0, "training.gradClip must be 0 (off) or more", t.GradClip);
        ExperimentConfigValidator.Check(failures, t.Threads >= 0, "training.threads must be 0 (one per core) or more", t.Threads);
        ExperimentConfigValidator.Check(failures, t.LogEvery >= 1, "training.logEvery must be at least 1", t.LogEvery);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateShares(List<string> failures, string path, ShapeShares shares)
    {
        foreach (var (shape, share) in shares.All)
            ExperimentConfigValidator.Check(failures, share >= 0 && double.IsFinite(share), $"{path}.{JsonNamingPolicy.CamelCase.ConvertName(shape.ToString())} must be 0 or more", share);
        if (shares.All.Sum(s => s.Share) <= 0) failures.Add($"{path}: at least one shape needs a positive share");
    }
}
