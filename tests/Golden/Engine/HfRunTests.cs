using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Plugins.Policies.HuggingFace;
using Harness.Tests.Golden.Fixtures;
using Harness.Tests.Golden.HuggingFace;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// GRPO on the tiny Qwen2 checkpoint through hf-causal-lm: seeded runs repeat bit for bit, a resumed run matches an
/// uninterrupted one line for line, checkpoints are Hugging Face folders that export and load, micro-batches give
/// the same update, and a run that cannot fit in memory is refused before its directory exists.
/// </summary>
[Collection(TorchCollection.Name)]
public class HfRunTests
{
    private static readonly string Qwen2 = Path.Combine(HfWeightsTests.Models, "qwen2-tied-bf16");

    private static (TempDirectory Dir, string Config) Experiment(int steps, Action<JsonObject>? edit = null)
    {
        var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TinyExperiment.CompileRewards(plugins);
        var json = JsonNode.Parse(TinyExperiment.Json(plugins, steps))!.AsObject();
        json["policy"] = new JsonObject { ["name"] = "hf-causal-lm", ["settings"] = new JsonObject { ["model"] = Qwen2, ["template"] = "none", ["stop"] = "none" } };
        json["sampling"] = new JsonObject { ["maxNewTokens"] = 12 };
        json["optimizer"]!["learningRate"] = 1e-4;
        edit?.Invoke(json);
        return (dir, dir.File("hf.json", json.ToJsonString()));
    }

    private static string Completions(string run) => File.ReadAllText(Path.Combine(run, "completions.jsonl"));

    [Fact]
    public void A_seeded_run_repeats_bit_for_bit_and_its_checkpoints_are_hugging_face_folders_that_export_and_load()
    {
        var (dir, config) = Experiment(4);
        using var cleanup = dir;
        var (first, second, exported) = (Path.Combine(dir.Path, "first"), Path.Combine(dir.Path, "second"), Path.Combine(dir.Path, "exported"));

        var run = HarnessRunner.Run(["run", config, "--out", first]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", second]).ExitCode);

        Assert.Equal(RunTests.WithoutTiming(RunTests.Metrics(first)), RunTests.WithoutTiming(RunTests.Metrics(second)));
        Assert.Equal(Completions(first), Completions(second));
        Assert.Contains("memory estimate: weights", run.Error);
        var checkpoint = Path.Combine(first, "checkpoints", "step-000004");
        Assert.Equal(["config.json", "generation_config.json", "model.safetensors", "optimizer.bin", "reference-logits.json", "state.json", "tokenizer.json"],
            Directory.GetFiles(checkpoint).Select(Path.GetFileName).Order());

        var export = HarnessRunner.Run(["export", first, "--out", exported]);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.DoesNotContain("optimizer.bin", Directory.GetFiles(exported).Select(Path.GetFileName));
        Assert.Equal(File.ReadAllBytes(Path.Combine(checkpoint, "model.safetensors")), File.ReadAllBytes(Path.Combine(exported, "model.safetensors")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(Qwen2, "model.safetensors")), File.ReadAllBytes(Path.Combine(exported, "model.safetensors")));
        // A signal during an export leaves nothing behind: no target, no partial folder.
        var stop = new Harness.Core.StopRequest();
        stop.Request("SIGTERM", 143);
        var stopped = HarnessRunner.Run(["export", first, "--out", exported + "-stopped"], stop: stop);
        Assert.Equal(143, stopped.ExitCode);
        Assert.Contains("nothing was exported", stopped.Error);
        Assert.False(Directory.Exists(exported + "-stopped") || Directory.Exists(exported + "-stopped.partial"));
        var again = HarnessRunner.Run(["export", first, "--out", exported]);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists and is not empty", again.Error + again.Console);

        var generated = HarnessRunner.Run(["generate", exported, "--prompt", "What is 1 + 2?", "--greedy", "--max-new-tokens", "5", "--json", "--set", "template=none", "--set", "stop=none"]);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var answer = JsonNode.Parse(generated.Out)!;
        var tokens = answer["tokens"]!.AsArray();
        Assert.Equal(5, tokens.Count);
        Assert.All(tokens, t => Assert.True((double)t!["logprob"]! < 0 && (string?)t["token"] is { Length: > 0 }));
        Assert.Equal((string)answer["text"]!, HfTokenizerOf(exported).Decode(tokens.Select(t => (int)t!["id"]!)));
    }

    private static Harness.Plugins.Policies.HuggingFace.Tokenizer.HfTokenizer HfTokenizerOf(string folder) => HfFolder.Open(folder).Tokenizer;

    [Fact]
    public void A_run_resumed_from_an_earlier_checkpoint_replays_its_recorded_steps_line_for_line()
    {
        var (dir, config) = Experiment(4);
        using var cleanup = dir;
        var run = Path.Combine(dir.Path, "run");
        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", run]).ExitCode);
        var (metrics, completions) = (File.ReadAllText(Path.Combine(run, "metrics.jsonl")), Completions(run));

        // Resuming from step 2 replays steps 3 and 4 and checks each against what the run recorded.
        var result = HarnessRunner.Run(["resume", run, "--checkpoint", "step-000002"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Replayed steps 3–4 matched the recorded metrics exactly.", result.Error);
        Assert.Equal(RunTests.WithoutTiming(RunTests.Metrics(run)), RunTests.WithoutTiming(metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!)));
        Assert.Equal(completions, Completions(run));
    }

    [Fact]
    public void Micro_batches_give_the_update_of_the_whole_batch()
    {
        var (dir, whole) = Experiment(2);
        using var cleanup = dir;
        var micro = dir.File("micro.json", File.ReadAllText(whole).Replace("\"groupSize\":4", "\"groupSize\":4,\"microBatch\":3"));
        Assert.Contains("microBatch", File.ReadAllText(micro));
        var (a, b) = (Path.Combine(dir.Path, "a"), Path.Combine(dir.Path, "b"));

        Assert.Equal(0, HarnessRunner.Run(["run", whole, "--out", a]).ExitCode);
        Assert.Equal(0, HarnessRunner.Run(["run", micro, "--out", b]).ExitCode);

        var (ma, mb) = (RunTests.Metrics(a), RunTests.Metrics(b));
        foreach (var key in new[] { "loss", "kl", "entropy", "grad_norm", "clip_fraction" })
            for (var step = 0; step < 2; step++)
                Assert.True(Math.Abs(ma[step][key].GetDouble() - mb[step][key].GetDouble()) <= 1e-4 * Math.Max(1, Math.Abs(ma[step][key].GetDouble())),
                    $"step {step + 1} {key}: {ma[step][key]} vs {mb[step][key]}");
        Assert.Equal(File.ReadLines(Path.Combine(a, "completions.jsonl")).First(), File.ReadLines(Path.Combine(b, "completions.jsonl")).First());
    }

    [Fact]
    public void A_run_that_cannot_fit_in_memory_is_refused_before_its_directory_exists()
    {
        var (dir, config) = Experiment(2, json => json["grpo"]!["promptsPerStep"] = 200_000);
        using var cleanup = dir;
        var run = Path.Combine(dir.Path, "run");

        var result = HarnessRunner.Run(["run", config, "--out", run]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The run does not fit: memory estimate: weights", result.Error + result.Console);
        Assert.Contains("Lower grpo.microBatch", result.Error + result.Console);
        Assert.False(Directory.Exists(run));
    }
}
