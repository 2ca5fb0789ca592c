using System.Diagnostics;
using System.Globalization;
using Harness.Abstractions;
using Harness.Bench;
using Harness.Catalog;
using Harness.Experiments;
using Harness.Runs;
using Harness.Tasks;
using Harness.Training;
using static TorchSharp.torch;

// Benchmark of one GRPO step of the engine demo (experiments/tiny-gpt.json) on the CPU, split into
// its phases, with generation throughput with and without the KV cache, achieved GFLOP/s of the training
// pass against this CPU's peak, and the PyTorch peer (bench/python/grpo_step.py) run in the same invocation.
// Usage (from the repository root): bench/run.sh [--threads N] [--repeats N] [--python PATH]
var threads = Option("--threads", Environment.ProcessorCount);
var repeats = Option("--repeats", 3);
var pythonPath = args.SkipWhile(a => a != "--python").Skip(1).FirstOrDefault() ?? "python3";
TorchDevices.UseThreads(threads);
var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"threads {threads}, {repeats} timed repeats after 1 warm-up; medians");

var config = ExperimentLoader.Load("experiments/tiny-gpt.json", ["device=cpu", $"run.steps={repeats + 2}", "run.evalEvery=1000000"]);
var catalog = PluginCatalog.Scan(new HarnessOptions().AllPluginDirectories([]));
var plugins = ExperimentPlugins.Resolve(config, catalog);
var tasks = TaskSet.Create(config.Tasks, config.Seed);
var policyReference = config.Policy!;
IPolicy CreatePolicy(bool cache) => catalog.Create<IPolicy>(PluginKind.Policy, policyReference.Name,
    new Dictionary<string, string>(policyReference.Settings) { ["kv_cache"] = cache ? "true" : "false" });

// 1. The GRPO step, as the engine runs it. Steps 1 and the last evaluate pass@1; their phases exclude it.
var steps = new List<StepMetrics>();
using (var trainer = new GrpoTrainer(config, plugins, () => CreatePolicy(true), tasks, CPU, _ => { }))
    for (var step = 1; step <= repeats + 1; step++)
    {
        var metrics = trainer.Step(step).Metrics;
        if (step > 1) steps.Add(metrics);
    }
double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
double Phase(string name) => Median(steps.Select(m => m[name]!.Value));
var (sampling, scoring, backward, optimizer) = (Phase("sampling_time_s"), Phase("scoring_time_s"), Phase("backward_time_s"), Phase("optimizer_time_s"));
var stepSeconds = sampling + scoring + backward + optimizer;

// 2. Generation alone, with and without the KV cache, on the same 8 prompts × G = 8.
var prompts = tasks.TrainingBatch(1, config.Grpo.PromptsPerStep).Select(t => t.Prompt).ToArray();
(double Seconds, double Tokens) Generate(IPolicy policy, long seed)
{
    var request = new SamplingRequest(prompts, config.Grpo.GroupSize, config.Sampling.MaxNewTokens, 1.0, 1.0, seed);
    var clock = Stopwatch.StartNew();
    var groups = policy.Sample(request);
    return (clock.Elapsed.TotalSeconds, groups.Sum(g => g.Sum(c => c.TokenCount)));
}
(double Seconds, double Tokens, double PerSecond) GenerationRate(bool cache)
{
    var policy = CreatePolicy(cache);
    using var _ = no_grad();
    Generate(policy, 0);
    var runs = Enumerable.Range(1, repeats).Select(seed => Generate(policy, seed)).ToArray();
    return (Median(runs.Select(r => r.Seconds)), Median(runs.Select(r => r.Tokens)), Median(runs.Select(r => r.Tokens / r.Seconds)));
}
var cached = GenerationRate(cache: true);
var uncached = GenerationRate(cache: false);

// 3. Achieved GFLOP/s of the training pass (log-probs forward + backward) against the CPU's peak.
var settings = new PluginSettings(policyReference.Name, policyReference.Settings);
var (layers, width) = (settings.GetInt("layers", 3), settings.GetInt("width", 96));
var promptLength = prompts[0].Length;
var batch = config.Grpo.PromptsPerStep * config.Grpo.GroupSize;
var flops = Median(steps.Select(m => TrainingFlops.Of(layers, width, 97, batch, promptLength + (int)m["completion_length_max"]!.Value)));
var achieved = flops / backward / 1e9;
var peak = CpuPeak.Detect(threads);

Console.WriteLine();
Console.WriteLine($"GRPO step, {config.Grpo.PromptsPerStep} prompts × G {config.Grpo.GroupSize}, ≤ {config.Sampling.MaxNewTokens} new tokens, model {layers} layers × {width}:");
Console.WriteLine(string.Create(invariant, $"  sampling              {sampling,8:F3} s"));
Console.WriteLine(string.Create(invariant, $"  scoring               {scoring,8:F3} s  (rewards, advantages, detectors)"));
Console.WriteLine(string.Create(invariant, $"  log-probs + backward  {backward,8:F3} s"));
Console.WriteLine(string.Create(invariant, $"  optimizer             {optimizer,8:F3} s  (grad clip + AdamW)"));
Console.WriteLine(string.Create(invariant, $"  step                  {stepSeconds,8:F3} s"));
Console.WriteLine(string.Create(invariant, $"generation with KV cache     {cached.PerSecond,9:F0} tokens/s ({cached.Tokens:F0} tokens in {cached.Seconds:F3} s)"));
Console.WriteLine(string.Create(invariant, $"generation without KV cache  {uncached.PerSecond,9:F0} tokens/s ({uncached.Tokens:F0} tokens in {uncached.Seconds:F3} s); cache speed-up {cached.PerSecond / uncached.PerSecond:F1}x"));
Console.WriteLine(string.Create(invariant, $"training pass: {flops / 1e9:F2} GFLOP in {backward:F3} s = {achieved:F2} GFLOP/s, {100 * achieved / peak.GFlops:F1}% of peak"));
Console.WriteLine($"  peak: {peak.Formula} ({peak.Model})");

// 4. What guarding plugin calls costs (each call handed to a worker thread to enforce its time limit): the
// step's reward scoring with the experiment's rewards, guarded as the engine runs it and inline (no limit).
var scoredTasks = tasks.TrainingBatch(1, config.Grpo.PromptsPerStep);
IReadOnlyList<IReadOnlyList<SampledCompletion>> sampled;
using (no_grad()) sampled = CreatePolicy(true).Sample(new SamplingRequest(prompts, config.Grpo.GroupSize, config.Sampling.MaxNewTokens, 1.0, 1.0, 7));
double ScoringMicros(bool guarded)
{
    var rewards = plugins.Rewards.Select(r => new WeightedReward(
        new PluginHandle<IReward>(PluginKind.Reward, r.Name, r.Plugin.Instance, guarded ? r.Plugin.TimeLimit : Timeout.InfiniteTimeSpan), r.Weight)).ToArray();
    const int Iterations = 200;
    RewardScoring.Score(rewards, scoredTasks, sampled);
    return 1e6 * Median(Enumerable.Range(0, repeats).Select(_ =>
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++) RewardScoring.Score(rewards, scoredTasks, sampled);
        return clock.Elapsed.TotalSeconds / Iterations;
    }));
}
var (inline, guarded) = (ScoringMicros(false), ScoringMicros(true));
var calls = plugins.Rewards.Count * scoredTasks.Count;
Console.WriteLine(string.Create(invariant, $"reward scoring of one step ({calls} plugin calls): inline {inline:F0} µs, guarded {guarded:F0} µs; {(guarded - inline) / calls:F1} µs per call, {100 * (guarded - inline) / 1e6 / stepSeconds:F3}% of the step"));

// 5. The PyTorch peer, same model and work, same threads.
var python = PythonPeer.Run(pythonPath, Path.Combine("bench", "python", "grpo_step.py"), threads, repeats, m => Console.WriteLine("note: " + m));
if (python is not { } py) return 1;
double P(string key) => py.GetProperty(key).GetDouble();
Console.WriteLine();
Console.WriteLine($"side by side with PyTorch {py.GetProperty("torch_version").GetString()} (ratio = PyTorch time / TorchSharp time; above 1: the harness is faster)");
void Row(string what, double harness, double peer, string unit, bool higherIsBetter) => Console.WriteLine(string.Create(invariant,
    $"  {what,-34} harness {harness,10:F4} {unit,-9} pytorch {peer,10:F4} {unit,-9} ratio {(higherIsBetter ? harness / peer : peer / harness),5:F2}"));
Row("sampling with KV cache", cached.PerSecond, P("sampling_tokens_per_s"), "tokens/s", true);
Row("sampling without KV cache", uncached.PerSecond, P("nocache_tokens_per_s"), "tokens/s", true);
var harnessTrainTokens = Median(steps.Select(m => m["completion_length_mean"]!.Value * batch));
Row("log-probs + backward per 1k tokens", 1000 * backward / harnessTrainTokens, 1000 * P("logprob_backward_s") / P("train_tokens"), "s", false);
Row("optimizer", optimizer, P("optimizer_s"), "s", false);
Row("step (sampling+backward+optimizer)", sampling + backward + optimizer, P("step_s"), "s", false);
return 0;

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
