extern alias engine;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Abstractions;
using Harness.Bench;
using Harness.Plugins.Policies.HuggingFace;
using static TorchSharp.torch;

// The hf-causal-lm benchmark, side by side with the same model in PyTorch (bench/python/hf_step.py, Debian's
// python3-torch): for the tiny Qwen2 made by `harness pretrain` and a Qwen2.5-0.5B-shaped model with random weights
// (full width, --layers blocks), batched sampling through the KV cache (tokens/s), log-probs + backward of random
// completions (seconds per 1k tokens) and each process's peak resident memory. Each repeat is one worker process per
// side, run harness, PyTorch, harness, PyTorch…; the table gives the median of the paired ratios and their range.
// Then the memory estimate a run prints (weights, gradients, AdamW, activations) against what one training step of
// scoring, backward and AdamW really adds to a worker's resident memory, in several settings.
// Usage (from the repository root): bench/hf.sh [--repeats R] [--layers L] [--threads N] [--recompute-head auto|true|false]
var arguments = new BenchArgs(args);
var invariant = CultureInfo.InvariantCulture;
if (args.Contains("--worker")) return Worker(arguments);
if (args.Contains("--memory-worker")) return MemoryWorker(arguments);

var repeats = arguments.Number("--repeats", 3);
var threads = arguments.Number("--threads", Environment.ProcessorCount);
var layers = arguments.Number("--layers", 4);
var python = arguments.Text("--python", "/usr/bin/python3");
var recomputeHead = arguments.Text("--recompute-head", "auto");
var self = typeof(Program).Assembly.Location;
var peak = CpuPeak.Detect(threads);
Console.WriteLine($"threads {threads}, {repeats} interleaved pairs (harness, PyTorch, …) after one uncounted pair, each one process per side after one warm-up inside it; recompute_head {recomputeHead}");

var rows = new List<string>();
foreach (var (name, folder, work) in new[]
{
    ("tiny Qwen2 (experiments/base/aha-addition-qwen2)", Path.GetFullPath("experiments/base/aha-addition-qwen2"), new Work(64, 24, 64, 32, 64)),
    ($"Qwen2.5-0.5B-shaped, {layers} of 24 layers, random weights", RandomQwen05B(layers), new Work(8, 32, 32, 4, 128)),
})
{
    var policy = new HfCausalLmPolicy(new PluginSettings("hf-causal-lm", new Dictionary<string, string> { ["model"] = folder }));
    var vocab = policy.Folder.Tokenizer.VocabSize;
    var eos = string.Join(",", policy.Folder.EosTokenIds);
    var flopsPerToken = TrainingFlopsPerToken(policy.Folder.Config, vocab, work.ScoreTokens);
    policy.Model.Dispose();
    string[] common = ["--model", folder, "--threads", $"{threads}", "--vocab", $"{vocab}", "--eos", eos, "--rows", $"{work.Rows}", "--prompt", $"{work.Prompt}",
        "--new", $"{work.New}", "--score-rows", $"{work.ScoreRows}", "--score-tokens", $"{work.ScoreTokens}", "--seed", "1"];
    var pairs = new List<(JsonNode Harness, ProcessPeak.Measured HarnessRun, JsonNode Python, ProcessPeak.Measured PythonRun)>();
    Console.WriteLine($"\n{name}: sampling {work.Rows} rows × {work.Prompt}-token prompts, ≤ {work.New} new tokens; scoring {work.ScoreRows} × {work.ScoreTokens} tokens");
    // Pair 0 is not counted: the first process after a build, or after the other model, reads libtorch and the weights
    // from disk (in three earlier runs the first harness worker sampled 1.5–5× slower than the next).
    for (var r = 0; r <= repeats; r++)
    {
        var h = Measure("dotnet", [self, "--worker", "--recompute-head", recomputeHead, .. common], "harness worker");
        var p = Measure(python, ["bench/python/hf_step.py", .. common], "PyTorch worker");
        if (r == 0) continue;
        pairs.Add((JsonNode.Parse(h.Output)!, h, JsonNode.Parse(p.Output)!, p));
        Console.WriteLine(string.Create(invariant, $"  pair {r}: sampling {Rate(pairs[^1].Harness):F0} vs {Rate(pairs[^1].Python):F0} tokens/s; "
            + $"backward {PerK(pairs[^1].Harness):F3} vs {PerK(pairs[^1].Python):F3} s/1k tokens; peak {Figures.Mib(h.PeakBytes):F0} vs {Figures.Mib(p.PeakBytes):F0} MiB"));
    }
    string Row(string what, Func<JsonNode, ProcessPeak.Measured, double> figure, bool higherIsBetter, string format)
    {
        var ratios = pairs.Select(p => higherIsBetter ? figure(p.Harness, p.HarnessRun) / figure(p.Python, p.PythonRun) : figure(p.Python, p.PythonRun) / figure(p.Harness, p.HarnessRun)).ToArray();
        return string.Create(invariant, $"| {name} | {what} | {Figures.Median(pairs.Select(p => figure(p.Harness, p.HarnessRun))).ToString(format, invariant)} | "
            + $"{Figures.Median(pairs.Select(p => figure(p.Python, p.PythonRun))).ToString(format, invariant)} | {Figures.Ratios(ratios)} |");
    }
    rows.Add(Row("sampling with KV cache, tokens/s", (j, _) => Rate(j), true, "F0"));
    rows.Add(Row("log-probs + backward, s per 1k tokens", (j, _) => PerK(j), false, "F3"));
    rows.Add(Row("peak memory, MiB", (_, m) => Figures.Mib(m.PeakBytes), false, "F0"));
    var achieved = Figures.Median(pairs.Select(p => flopsPerToken * (double)p.Harness["score_tokens"]! / (double)p.Harness["score_s"]! / 1e9));
    rows.Add(string.Create(invariant, $"| {name} | training pass, GFLOP/s (share of the CPU's peak) | {achieved:F1} ({100 * achieved / peak.GFlops:F1} %) | "
        + $"{Figures.Median(pairs.Select(p => flopsPerToken * (double)p.Python["score_tokens"]! / (double)p.Python["score_s"]! / 1e9)):F1} | |"));
}
Console.WriteLine($"\nratio: above 1, the harness is faster (or smaller); PyTorch {Measure(python, ["-c", "import torch; print(torch.__version__)"], "python").Output.Trim()}");
Console.WriteLine("| model | row | harness | PyTorch | ratio, median (range) |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var row in rows) Console.WriteLine(row);
Console.WriteLine($"peak: {peak.Formula} ({peak.Model}); training FLOPs = 3 × the forward's (2 per weight per token, the vocabulary head and attention's scores)");

Console.WriteLine("\nmemory estimate against one measured training step (scoring, backward, AdamW), one worker process each; measured: the");
Console.WriteLine("step's peak resident memory (VmHWM, reset after loading) less the resident memory before the model was made");
Console.WriteLine("| model | settings | sequences × tokens | weights | gradients | AdamW | activations + gradient in flight | AdamW step | estimate, MiB | measured, MiB | measured / estimate |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
var qwen05 = RandomQwen05B(layers);
foreach (var (name, folder, settings, sequences, tokens) in new[]
{
    ("tiny Qwen2", Path.GetFullPath("experiments/base/aha-addition-qwen2"), "", 64, 120),
    ("tiny Qwen2", Path.GetFullPath("experiments/base/aha-addition-qwen2"), "gradient_checkpointing=true", 64, 120),
    ($"0.5B-shaped, {layers} layers", qwen05, "", 4, 128),
    ($"0.5B-shaped, {layers} layers", qwen05, "", 8, 256),
    ($"0.5B-shaped, {layers} layers", qwen05, "recompute_head=true", 8, 256),
    ($"0.5B-shaped, {layers} layers", qwen05, "gradient_checkpointing=true", 8, 256),
    ($"0.5B-shaped, {layers} layers", qwen05, "dtype=bfloat16", 8, 256),
})
{
    var run = Measure("dotnet", [self, "--memory-worker", "--model", folder, "--threads", $"{threads}", "--settings", settings, "--sequences", $"{sequences}", "--tokens", $"{tokens}"], "memory worker");
    var j = JsonNode.Parse(run.Output)!;
    double M(string key) => Figures.Mib((double)j[key]!);
    Console.WriteLine(string.Create(invariant, $"| {name} | {(settings.Length == 0 ? "defaults" : settings)} | {sequences} × {tokens} | {M("weights"):F0} | {M("gradients"):F0} | {M("optimizer"):F0} | "
        + $"{M("activations"):F0} + {M("in_flight"):F0} | {M("step"):F0} | {M("estimate"):F0} | {M("measured"):F0} | {(double)j["measured"]! / (double)j["estimate"]!:F2} |"));
}
return 0;

static double Rate(JsonNode j) => (double)j["sampling_tokens"]! / (double)j["sampling_s"]!;
static double PerK(JsonNode j) => 1000 * (double)j["score_s"]! / (double)j["score_tokens"]!;

static ProcessPeak.Measured Measure(string file, string[] arguments, string what)
{
    var measured = ProcessPeak.Run(file, arguments);
    return measured.ExitCode == 0 ? measured : throw new InvalidOperationException($"{what} failed (exit {measured.ExitCode}): {measured.Error}");
}

// Forward FLOPs per scored token, tripled for the backward pass: two per weight of every block and of the head over
// the tokenizer's ids, and the attention's scores and weighted sum (4 · length · heads · head_dim per layer, half causal).
static double TrainingFlopsPerToken(HfConfig c, int vocab, int length)
{
    double attention = c.HiddenSize * (double)c.Heads * c.HeadDim * 2 + 2.0 * c.HiddenSize * c.KeyValueHeads * c.HeadDim;
    double mlp = 3.0 * c.HiddenSize * c.IntermediateSize;
    var perLayer = 2 * (attention + mlp) + 2.0 * length * c.Heads * c.HeadDim;
    return 3 * (c.Layers * perLayer + 2.0 * vocab * c.HiddenSize);
}

// Qwen2.5-0.5B's published shape (hidden 896, 14 heads, 2 key-value heads, SwiGLU 4864, 151 936 tied embedding rows),
// fewer layers, random normal(0, 0.02) weights, Qwen3's real tokenizer (151 669 ids, from the test fixtures); made once.
static string RandomQwen05B(int layers)
{
    var folder = Path.GetFullPath($"artifacts/bench/hf/qwen2.5-0.5b-shaped-{layers}-layers");
    if (File.Exists(Path.Combine(folder, HfWeights.SingleFile))) return folder;
    Directory.CreateDirectory(folder);
    var config = Path.Combine(folder, HfFolder.ConfigFile);
    File.WriteAllText(config, $$"""
        { "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": {{layers}},
          "num_attention_heads": 14, "num_key_value_heads": 2, "vocab_size": 151936, "max_position_embeddings": 32768, "rms_norm_eps": 1e-06,
          "rope_theta": 1000000.0, "tie_word_embeddings": true, "hidden_act": "silu", "use_sliding_window": false, "torch_dtype": "float32",
          "eos_token_id": 151645, "bos_token_id": 151643 }
        """);
    var tokenizer = Path.Combine(folder, HfFolder.TokenizerFile);
    using (var source = new GZipStream(File.OpenRead("tests/Golden/HuggingFace/Fixtures/qwen3-tokenizer.json.gz"), CompressionMode.Decompress))
    using (var target = File.Create(tokenizer))
        source.CopyTo(target);
    var policy = new HfCausalLmPolicy(new PluginSettings("hf-causal-lm", new Dictionary<string, string> { ["config"] = config, ["tokenizer"] = tokenizer }));
    policy.Save(folder);
    policy.Model.Dispose();
    return folder;
}

static int Worker(BenchArgs a)
{
    int N(string name) => a.Number(name, 0);
    TorchSharp.torch.set_num_threads(N("--threads"));
    var policy = new HfCausalLmPolicy(new PluginSettings("hf-causal-lm", new Dictionary<string, string> { ["model"] = a.Text("--model", ""), ["stop"] = "none", ["recompute_head"] = a.Text("--recompute-head", "auto") }));
    var vocab = N("--vocab");
    var prompts = Enumerable.Range(0, N("--rows")).Select(r => Ids(vocab, N("--prompt"), r, 1)).ToArray();
    var sampler = new HfSampler((HfDecoder)policy.Model, policy.Folder, "");
    // One prompt per row, G = 1: every row decodes in one batch, as the PyTorch side does.
    var request = new SamplingRequest([.. prompts.Select((_, r) => $"row {r}")], 1, N("--new"), 1.0, 1.0, N("--seed"));
    (double Seconds, int Tokens) Sample()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var groups = sampler.Sample(request, prompts);
        return (clock.Elapsed.TotalSeconds, groups.Sum(g => g.Sum(c => c.TokenCount)));
    }
    var scoring = new ScoringRequest([.. Enumerable.Repeat("", N("--score-rows"))], [.. Enumerable.Range(0, N("--score-rows")).Select(r => (IReadOnlyList<int>)Ids(vocab, N("--score-tokens"), r, 3))]);
    double Score()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        policy.Model.zero_grad();
        (-policy.Score(scoring).LogProbs.sum()).backward();
        return clock.Elapsed.TotalSeconds;
    }
    Sample();
    var (seconds, tokens) = Sample();
    Score();
    var scored = Score();
    Console.WriteLine(JsonSerializer.Serialize(new { sampling_tokens = tokens, sampling_s = seconds, score_tokens = scoring.Tokens.Sum(t => t.Count), score_s = scored }));
    return 0;
}

// One training step's memory: the estimate a run prints (MemoryEstimate, with the policy's declared activations for
// this many sequences of this many completion tokens after an empty prompt), and the resident memory the step adds.
static int MemoryWorker(BenchArgs a)
{
    TorchSharp.torch.set_num_threads(a.Number("--threads", 0));
    // libtorch loaded and initialised before the baseline, so the baseline holds the runtime and the libraries.
    using (no_grad()) ones(1).add(1);
    GC.Collect();
    var before = Status("VmRSS");
    var settings = new Dictionary<string, string> { ["model"] = a.Text("--model", ""), ["stop"] = "none" };
    foreach (var pair in a.Text("--settings", "").Split(' ', StringSplitOptions.RemoveEmptyEntries)) settings[pair.Split('=')[0]] = pair.Split('=')[1];
    var policy = new HfCausalLmPolicy(new PluginSettings("hf-causal-lm", settings));
    var (sequences, tokens) = (a.Number("--sequences", 0), a.Number("--tokens", 0));
    var estimate = engine::Harness.Training.MemoryEstimate.For(policy.Model, keepsReference: false, policy.ActivationBytes(sequences, "", tokens));
    var scoring = new ScoringRequest([.. Enumerable.Repeat("", sequences)],
        [.. Enumerable.Range(0, sequences).Select(r => (IReadOnlyList<int>)Ids(policy.Folder.Tokenizer.VocabSize, tokens, r, 3))]);
    using var optimizer = new engine::Harness.Training.FlatAdamW(policy.Model.parameters(), 0.9, 0.99, 1e-8, 0);
    GC.Collect();
    // VmHWM from here on: the loading's own peak (file bytes and casts) is not the step's.
    File.WriteAllText("/proc/self/clear_refs", "5");
    using (var scope = NewDisposeScope())
    {
        (-policy.Score(scoring).LogProbs.sum()).backward();
        optimizer.Step(1e-3);
    }
    var measured = Status("VmHWM") - before;
    Console.WriteLine(JsonSerializer.Serialize(new { weights = estimate.Weights, gradients = estimate.Gradients, optimizer = estimate.Optimizer, activations = estimate.Activations,
        in_flight = estimate.GradientInFlight, step = estimate.StepTemporaries, estimate = estimate.Total, measured }));
    return 0;
}

// Token ids spread over the vocabulary, the same on both sides of the bench for a row and a salt.
static int[] Ids(int vocab, int length, int row, int salt) => [.. Enumerable.Range(0, length).Select(t => (int)((row * 7919L + t * 104729L + salt) % vocab))];

// A field of /proc/self/status, in bytes.
static long Status(string field)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

/// <summary>One model's work: sampling rows, prompt and new tokens; scored rows and tokens.</summary>
internal sealed record Work(int Rows, int Prompt, int New, int ScoreRows, int ScoreTokens);
