using System.Diagnostics;
using Harness.Abstractions;
using Harness.Answers;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Grpo;
using Harness.Runs;
using Harness.Tasks;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Pretraining;

/// <summary>What pretraining produced: the weights file, its report, and the base model's evaluation.</summary>
public sealed record PretrainResult(string Weights, string Report, IReadOnlyDictionary<string, double> Evaluation);

/// <summary>
/// Builds a base model: next-token training of a text policy on the recipe's synthetic corpus (AdamW, warm-up
/// and schedule, gradient clipping), then the weights written atomically and the base evaluated on the
/// held-out sets. The report (<c>&lt;output&gt;.json</c>) records the recipe, the loss curve, the time and
/// the evaluation.
/// </summary>
public static class Pretrainer
{
    public static PretrainResult Run(PretrainRecipe recipe, PluginCatalog catalog, IRunObserver observer, StopRequest stop)
    {
        var device = TorchDevices.Resolve(recipe.Device);
        var threads = TorchDevices.UseThreads(recipe.Training.Threads);
        var policy = catalog.Create<IPolicy>(PluginKind.Policy, recipe.Policy.Name, recipe.Policy.Settings) as ITextPolicy
            ?? throw new HarnessException($"Policy '{recipe.Policy.Name}' cannot be pretrained: it does not learn from text (ITextPolicy).");
        const double limit = RunConfig.DefaultPluginTimeLimitSeconds;
        var rewards = recipe.Evaluation.RewardsInUse.Select(r => new WeightedReward(ExperimentPlugins.Open<IReward>(catalog, PluginKind.Reward, r, limit), 1)).ToArray();
        var detectors = recipe.Evaluation.DetectorsInUse.Select(d => ExperimentPlugins.Open<IDetector>(catalog, PluginKind.Detector, d, limit)).ToArray();
        var tasks = TaskSet.Create(recipe.Tasks, recipe.Seed);
        var corpus = new Corpus(recipe.Corpus, tasks, recipe.Seed);
        var training = recipe.Training;
        var total = training.Stage1Steps + training.Steps;
        if (policy is IVocabularyLearner learner && learner.LearnVocabulary(VocabularySample(corpus, recipe)) is { } learned)
            observer.Note($"{recipe.Policy.Name}: {learned}");
        policy.Model.to(device);
        using var updater = new ModelUpdater(policy.Model, training.Update(total));

        var clock = Stopwatch.StartNew();
        var curve = new List<IReadOnlyDictionary<string, double>>();
        if (total > 0) observer.Starting($"pretrain {recipe.Name} on {device} ({threads} threads)", 1, total, []);
        var window = new List<(double Loss, int Tokens)>();
        var windowClock = Stopwatch.StartNew();
        var completed = 0;
        for (var step = 1; step <= total && !stop.IsRequested; step++)
        {
            var documents = corpus.Batch(step, training.BatchSize, stage1: step <= training.Stage1Steps);
            var tokens = documents.Select(d => policy.Tokenize(d.Text)).ToArray();
            var learningRate = updater.LearningRateAt(step);
            policy.Model.train();
            using (var scope = NewDisposeScope())
            {
                var count = tokens.Sum(t => t.Count);
                var scores = PolicyCalls.Score(policy, recipe.Policy.Name, new ScoringRequest([.. tokens.Select(_ => "")], tokens), $"at pretraining step {step}");
                var loss = -scores.LogProbs.sum() / count;
                var value = ModelUpdater.Checked(loss, $"Pretraining step {step}", "lower training.learningRate");
                updater.ZeroGradients();
                loss.backward();
                updater.Apply(learningRate);
                window.Add((value, count));
            }
            completed = step;
            if (step % training.LogEvery != 0 && step != total) continue;
            var metrics = new StepMetrics(step)
                .Set("loss", window.Sum(w => w.Loss * w.Tokens) / window.Sum(w => w.Tokens))
                .Set("learning_rate", learningRate)
                .Set("tokens_per_s", window.Sum(w => w.Tokens) / windowClock.Elapsed.TotalSeconds);
            curve.Add(new Dictionary<string, double>(metrics.Numbers()) { ["step"] = step });
            observer.StepDone(metrics, total);
            window.Clear();
            windowClock.Restart();
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var output = Path.GetFullPath(recipe.Output);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var hashes = Save(policy, output);

        // A stopped pretraining keeps its weights; evaluating them would spend the grace period a signal leaves.
        var stopped = completed < total;
        var evaluation = stopped ? new Dictionary<string, double>() : Evaluate(policy, rewards, detectors, tasks, recipe);
        var report = output + ".json";
        RunFile.WriteIndented(report, new PretrainReport(recipe, Path.GetFileName(output), hashes, device.ToString(), threads, completed,
            stopped ? new PretrainStop(stop.Cause ?? "stop", total) : null, Math.Round(seconds, 1), evaluation, curve));
        if (stopped) throw stop.Stopped($"the weights of step {completed} of {total} are in {output} (report {report}), not evaluated; pretraining has no resume, so run it again for the whole recipe.");
        return new PretrainResult(output, report, evaluation);
    }

    // Documents of both stages, as training will draw them, for a policy that learns its vocabulary first.
    private static IReadOnlyList<string> VocabularySample(Corpus corpus, PretrainRecipe recipe)
    {
        const int documents = 8192;
        var batch = Math.Max(1, recipe.Training.BatchSize);
        var steps = Math.Max(1, documents / batch);
        return [.. Enumerable.Range(1, steps).SelectMany(step => corpus.Batch(step, batch, stage1: recipe.Training.Stage1Steps > 0 && step % 2 == 0)).Select(d => d.Text)];
    }

    /// <summary>
    /// Writes the weights atomically: one file, or the folder of a policy with a format of its own (a Hugging Face
    /// folder), under a temporary name first. Returns each written file's SHA-256.
    /// </summary>
    private static Dictionary<string, string> Save(ITextPolicy policy, string output)
    {
        var partial = output + ".partial";
        if (policy is not IExportablePolicy exportable)
        {
            policy.Model.save(partial);
            File.Move(partial, output, overwrite: true);
            return new() { [Path.GetFileName(output)] = Checkpoint.Sha256(output) };
        }
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        exportable.Save(partial);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        else if (File.Exists(output)) File.Delete(output);
        Directory.Move(partial, output);
        return Directory.EnumerateFiles(output).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), Checkpoint.Sha256);
    }

    private static Dictionary<string, double> Evaluate(ITextPolicy policy, WeightedReward[] rewards, PluginHandle<IDetector>[] detectors, TaskSet tasks, PretrainRecipe recipe)
    {
        policy.Model.eval();
        using var _ = no_grad();
        var e = recipe.Evaluation;
        // The corpus writes R1's layout: a think block, then the answer in tags.
        var scorer = new RewardScorer(rewards, new CompletionReader(AnswerFormat.Tags, ThinkLayout.Required));
        var evaluator = new Evaluator(policy, scorer, e.PassTerm, e.MaxNewTokens);
        var results = new Dictionary<string, double>
        {
            ["pass1_easy"] = evaluator.PassAtOne(tasks.EvalEasy),
            ["pass1_hard"] = evaluator.PassAtOne(tasks.EvalHard),
        };
        var hard = tasks.EvalHard;
        var groups = policy.Sample(new SamplingRequest([.. hard.Select(t => t.Prompt)], e.Samples, e.MaxNewTokens, 1.0, 1.0, Seeds.For(recipe.Seed, 0, "pretrain-eval")));
        var scored = scorer.Score(hard, groups);
        var correct = scored.Terms[e.PassTerm].SelectMany(g => g).Select(v => v > 0).ToArray();
        results[$"frac_groups_any_correct_at_{e.Samples}"] = scored.FracGroupsAnyCorrect(e.PassTerm)!.Value;
        results["sampled_accuracy_hard"] = correct.Average(c => c ? 1.0 : 0.0);
        var completions = scored.Flatten(hard, groups);
        var input = scorer.DetectorInput(0, hard, completions);
        foreach (var detector in detectors)
        {
            var report = Detection.Run(detector, input, "in the base's evaluation");
            foreach (var (key, value) in report.Aggregates)
                results[$"sampled_{key}"] = value;
            foreach (var (key, value) in AccuracyByFlag(correct, report.Completions))
                results[$"sampled_accuracy_hard/{key}"] = value;
        }
        results["forced_recheck_accuracy_hard"] = ForcedRecheckAccuracy(policy, evaluator, hard, recipe);
        return results;
    }

    /// <summary>
    /// Does a shape earn more than the rest? For every flag the detectors raised, the accuracy of the completions
    /// carrying it (<c>with:flag</c>) and of those without it (<c>without:flag</c>, when there are any).
    /// </summary>
    public static Dictionary<string, double> AccuracyByFlag(IReadOnlyList<bool> correct, IReadOnlyList<CompletionFindings> findings)
    {
        var accuracy = new Dictionary<string, double>();
        foreach (var flag in findings.SelectMany(f => f.Flags).Distinct())
        {
            var with = correct.Where((_, i) => findings[i].Flags.Contains(flag)).ToArray();
            var without = correct.Where((_, i) => !findings[i].Flags.Contains(flag)).ToArray();
            accuracy[$"with:{flag}"] = with.Average(c => c ? 1.0 : 0.0);
            if (without.Length > 0) accuracy[$"without:{flag}"] = without.Average(c => c ? 1.0 : 0.0);
        }
        return accuracy;
    }

    /// <summary>
    /// Whether the base can re-check, before any RL: after its own greedy first guess ("…= 115."), the recipe's
    /// first phrase is forced and the rest decoded greedily; the share of hard problems it then answers right.
    /// RL can only amplify a re-check that works here.
    /// </summary>
    private static double ForcedRecheckAccuracy(ITextPolicy policy, Evaluator evaluator, IReadOnlyList<TaskItem> hard, PretrainRecipe recipe)
    {
        var e = recipe.Evaluation;
        var phrase = recipe.Corpus.PhrasesInUse[0];
        var firsts = policy.Sample(new SamplingRequest([.. hard.Select(t => t.Prompt)], 1, e.MaxNewTokens, 0, 1, 0));
        var forced = hard.Select((task, i) =>
        {
            var text = firsts[i][0].Text;
            var guessEnd = text.IndexOf('.', StringComparison.Ordinal);
            var thinkEnd = text.IndexOf("</think>", StringComparison.Ordinal);
            var prefix = text.StartsWith("<think>", StringComparison.Ordinal) && guessEnd > 0 && (thinkEnd < 0 || guessEnd < thinkEnd)
                ? text[..(guessEnd + 1)]
                : $"<think>{AnswerText.Sum(ColumnAddition.Operands(task.Prompt) ?? [])} = 0.";
            return task with { Prompt = $"{task.Prompt}{prefix} {phrase}" };
        }).ToArray();
        return evaluator.PassAtOne(forced);
    }
}
