using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Abstractions;
using Harness.Experiments;
using Harness.Plugins.Policies.TinyGpt;
using Harness.Pretraining;
using Harness.Tasks;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden.Engine;

/// <summary>The pretraining corpus and `harness pretrain`.</summary>
[Collection(TorchCollection.Name)]
public class PretrainTests
{
    private static readonly Dictionary<string, string> TinyModel = new() { ["layers"] = "1", ["width"] = "32", ["heads"] = "2", ["context"] = "192" };

    private static string Recipe(TempDirectory dir, string policy = "tiny-gpt") => dir.File($"{policy}.recipe.json", new JsonObject
    {
        ["name"] = "tiny-base",
        ["seed"] = 2,
        ["output"] = Path.Combine(dir.Path, "base", "tiny.bin"),
        ["device"] = "cpu",
        ["policy"] = new JsonObject { ["name"] = policy, ["settings"] = policy == "tiny-gpt" ? JsonSerializer.SerializeToNode(TinyModel) : new JsonObject() },
        ["tasks"] = new JsonObject { ["digits"] = 2, ["evalSize"] = 8 },
        ["training"] = new JsonObject { ["stage1Steps"] = 10, ["steps"] = 50, ["batchSize"] = 16, ["learningRate"] = 0.01, ["warmupSteps"] = 5, ["logEvery"] = 10, ["threads"] = 2 },
        ["evaluation"] = new JsonObject { ["samples"] = 2, ["maxNewTokens"] = 40 },
    }.ToJsonString());

    [Fact]
    public void Each_document_shape_is_written_as_the_seed_describes()
    {
        var config = new CorpusConfig { RecheckCorrects = 1, Phrases = ["Wait, let me re-check:"] };
        var corpus = new Corpus(config, TaskSet.Create(new TasksConfig(), 1), 1);
        var task = ArithmeticTasks.Item([58, 67], new TasksConfig());

        var documents = Enum.GetValues<DocumentShape>().ToDictionary(s => s.ToString(), s => corpus.Write(s, task, new Random(4)));

        Assert.EndsWith("The first answer was wrong.</think><answer>125</answer>", documents["Recheck"]);
        Assert.DoesNotContain("<answer>125</answer>", documents["Ritual"]);
        Assert.Contains("</answer> Wait, let me re-check: units", documents["AfterAnswer"]);
        Assert.Contains("unidades 8+7+0=15, decenas 5+6+1=12. Entonces la suma es 125.", documents["SpanishRecheck"]);
        Assert.Contains("So the sum is 125. So the sum is 125. So the sum is 125.</think>", documents["LoopingRecheck"]);
        Snapshot.Match(documents);
    }

    [Fact]
    public void The_corpus_never_holds_a_held_out_problem_and_follows_the_rates()
    {
        var tasks = TaskSet.Create(new TasksConfig { EvalSize = 32 }, 3);
        var corpus = new Corpus(new CorpusConfig(), tasks, 3);
        var heldOut = tasks.EvalEasy.Concat(tasks.EvalHard).Select(t => t.Prompt).ToHashSet();

        var documents = Enumerable.Range(1, 100).SelectMany(step => corpus.Batch(step, 64, stage1: false)).ToArray();

        Assert.DoesNotContain(documents, d => heldOut.Any(p => d.Text.StartsWith(p, StringComparison.Ordinal)));
        Assert.InRange(documents.Count(d => d.Shape == DocumentShape.Direct) / (double)documents.Length, 0.77, 0.83);
        Assert.InRange(documents.Count(d => d.Shape == DocumentShape.Recheck) / (double)documents.Length, 0.04, 0.06);
        Assert.All(corpus.Batch(1, 64, stage1: true), d => Assert.Equal(DocumentShape.Substeps, d.Shape));
        var stage1 = new Corpus(new CorpusConfig { Stage1 = new ShapeShares { Recheck = 1, Substeps = 1 } }, tasks, 3).Batch(1, 256, stage1: true);
        Assert.InRange(stage1.Count(d => d.Shape == DocumentShape.Recheck) / 256.0, 0.4, 0.6);
        Assert.All(stage1, d => Assert.Contains(d.Shape, new[] { DocumentShape.Recheck, DocumentShape.Substeps }));
    }

    [Fact]
    public void A_recipe_s_phrase_list_replaces_the_default_one()
    {
        using var dir = new TempDirectory();
        var path = dir.File("phrases.json", """{ "output": "x.bin", "corpus": { "recheck": 1, "direct": 0, "substeps": 0, "freeText": 0, "ritual": 0, "phrases": ["Hmm, again:"] } }""");

        var recipe = ExperimentLoader.Load(path, null, new PretrainRecipeValidator(), "pretraining recipe");
        var documents = new Corpus(recipe.Corpus, TaskSet.Create(recipe.Tasks, 1), 1).Batch(1, 64, stage1: false);

        Assert.Equal(["Hmm, again:"], recipe.Corpus.PhrasesInUse);
        Assert.All(documents, d => Assert.Contains(" Hmm, again: ", d.Text));
    }

    [Fact]
    public void Pretraining_lowers_the_loss_and_writes_weights_the_policy_loads()
    {
        using var dir = new TempDirectory();

        var result = HarnessRunner.Run(["pretrain", Recipe(dir)]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("step 60/60", result.Error);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "base", "tiny.bin.json")));
        var curve = report.RootElement.GetProperty("curve").EnumerateArray().Select(p => p.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(6, curve.Length);
        Assert.True(curve[^1] < 0.7 * curve[0], string.Join(", ", curve));
        var evaluation = report.RootElement.GetProperty("evaluation");
        Assert.True(evaluation.TryGetProperty("pass1_hard", out _) && evaluation.TryGetProperty("frac_groups_any_correct_at_2", out _) && evaluation.TryGetProperty("sampled_self_verify_rate", out _)
            && evaluation.TryGetProperty("forced_recheck_accuracy_hard", out _));
        var loaded = new TinyGptPolicy(new PluginSettings("tiny-gpt", new Dictionary<string, string>(TinyModel) { ["weights"] = Path.Combine(dir.Path, "base", "tiny.bin") }));
        Assert.NotEmpty(loaded.Sample(new SamplingRequest(["What is 12 + 34?"], 1, 8, 0, 1, 1))[0][0].Tokens);
        Assert.False(File.Exists(Path.Combine(dir.Path, "base", "tiny.bin.partial")));

        // No steps: the given weights are only evaluated, and written back unchanged.
        var again = Path.Combine(dir.Path, "again.bin");
        var evaluate = HarnessRunner.Run(["pretrain", Recipe(dir), "--steps", "0", "--set", "training.stage1Steps=0",
            "--set", $"policy.settings.weights={Path.Combine(dir.Path, "base", "tiny.bin")}", "--out", again]);
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Path, "base", "tiny.bin")), File.ReadAllBytes(again));
        Assert.Contains("forced_recheck_accuracy_hard", evaluate.Console);
    }

    [Fact]
    public void Accuracy_is_split_by_each_detector_flag()
    {
        CompletionFindings Flags(params string[] flags) => new(flags, new Dictionary<string, double>());
        var accuracy = Pretrainer.AccuracyByFlag([true, true, false, false, true], [Flags("self-verify", "wait"), Flags("self-verify"), Flags("wait"), Flags(), Flags()]);

        Assert.Equal(new Dictionary<string, double>
        {
            ["with:self-verify"] = 1.0, ["without:self-verify"] = 1 / 3.0, ["with:wait"] = 0.5, ["without:wait"] = 2 / 3.0,
        }, accuracy);
    }

    [Fact]
    public void Bad_recipes_are_refused_naming_the_field_and_the_policy()
    {
        using var dir = new TempDirectory();
        var recipe = Recipe(dir);

        var bad = HarnessRunner.Run(["pretrain", recipe, "--set", "corpus.recheckCorrects=2", "--set", "training.steps=-1", "--set", "corpus.stage1.recheck=-1"]);
        var bandit = HarnessRunner.Run(["pretrain", Recipe(dir, "shape-bandit")]);

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("corpus.recheckCorrects must be between 0 and 1 (got 2)", bad.Error);
        Assert.Contains("training.steps must be 0 (evaluate the policy's weights only) or more (got -1)", bad.Error);
        Assert.Contains("corpus.stage1.recheck must be 0 or more (got -1)", bad.Error);
        Assert.Equal(2, bandit.ExitCode);
        Assert.Contains("Policy 'shape-bandit' cannot be pretrained", bandit.Error);
        var tooLong = HarnessRunner.Run(["pretrain", recipe, "--set", "policy.settings.context=64"]);
        Assert.Equal(2, tooLong.ExitCode);
        Assert.Contains("Policy 'tiny-gpt' failed to score completions at pretraining step ", tooLong.Error);
        Assert.Contains("more than the context of 64", tooLong.Error);
    }
}
