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
Console.WriteLine($"threads {threads}, {repeats} interleaved pairs after 1 warm-up; medians");

var config = ExperimentLoader.Load("experiments/tiny-gpt.json", ["device=cpu", $"run.steps={repeats + 2}", "run.evalEvery=1000000"]);
var catalog = PluginCatalog.Scan(new HarnessOptions().AllPluginDirectories([]));
var plugins = ExperimentPlugins.Resolve(config, catalog);
var tasks = TaskSet.Create(config.Tasks, config.Seed);
var policyReference = config.Policy!;
IPolicy CreatePolicy(bool cache) => catalog.Create<IPolicy>(PluginKind.Policy, policyReference.Name,
    new Dictionary<string, string>(policyReference.Settings) { ["kv_cache"] = cache ? "true" : "false" });

// 1–2. Interleaved pairs (harness, PyTorch, harness, PyTorch…): each pair is one GRPO step as the engine runs it
// (step 1, which also evaluates pass@1, is the warm-up), generation alone with and without the KV cache on the same
// 8 prompts × G = 8, then one warm-up and one timed step of the PyTorch peer in a process of its own.
var prompts = tasks.TrainingBatch(1, config.Grpo.PromptsPerStep).Select(t => t.Prompt).ToArray();
(double Seconds, double Tokens) Generate(IPolicy policy, long seed)
{
    using var _ = no_grad();
    var request = new SamplingRequest(prompts, config.Grpo.GroupSize, config.Sampling.MaxNewTokens, 1.0, 1.0, seed);
    var clock = Stopwatch.StartNew();
    var groups = policy.Sample(request);
    return (clock.Elapsed.TotalSeconds, groups.Sum(g => g.Sum(c => c.TokenCount)));
}
var (cachedPolicy, uncachedPolicy) = (CreatePolicy(true), CreatePolicy(false));
Generate(cachedPolicy, 0);
Generate(uncachedPolicy, 0);
var pairs = new List<(StepMetrics Step, (double Seconds, double Tokens) Cached, (double Seconds, double Tokens) Uncached, System.Text.Json.JsonElement Python)>();
using (var trainer = new GrpoTrainer(config, plugins, () => CreatePolicy(true), tasks, CPU, _ => { }))
{
    trainer.Step(1);
    for (var step = 2; step <= repeats + 1; step++)
    {
        var metrics = trainer.Step(step).Metrics;
        var (withCache, withoutCache) = (Generate(cachedPolicy, step), Generate(uncachedPolicy, step));
        if (PythonPeer.Run(pythonPath, Path.Combine("bench", "python", "grpo_step.py"), threads, 1, m => Console.WriteLine("note: " + m)) is not { } py) return 1;
        pairs.Add((metrics, withCache, withoutCache, py));
    }
}
var steps = pairs.Select(p => p.Step).ToList();
double Median(IEnumerable<double> values) => Figures.Median(values);
double Phase(string name) => Median(steps.Select(m => m[name]!.Value));
var (sampling, scoring, backward, optimizer) = (Phase("sampling_time_s"), Phase("scoring_time_s"), Phase("backward_time_s"), Phase("optimizer_time_s"));
var stepSeconds = sampling + scoring + backward + optimizer;
var cached = (Seconds: Median(pairs.Select(p => p.Cached.Seconds)), Tokens: Median(pairs.Select(p => p.Cached.Tokens)), PerSecond: Median(pairs.Select(p => p.Cached.Tokens / p.Cached.Seconds)));
var uncached = (Seconds: Median(pairs.Select(p => p.Uncached.Seconds)), Tokens: Median(pairs.Select(p => p.Uncached.Tokens)), PerSecond: Median(pairs.Select(p => p.Uncached.Tokens / p.Uncached.Seconds)));

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
using (no_grad()) sampled = cachedPolicy.Sample(new SamplingRequest(prompts, config.Grpo.GroupSize, config.Sampling.MaxNewTokens, 1.0, 1.0, 7));
double ScoringMicros(bool guarded)
{
    var rewards = plugins.Rewards.Select(r => new WeightedReward(
        new PluginHandle<IReward>(PluginKind.Reward, r.Name, r.Plugin.Instance, guarded ? r.Plugin.TimeLimit : Timeout.InfiniteTimeSpan), r.Weight)).ToArray();
    var scorer = new RewardScorer(rewards, config.Answer.Reader());
    const int Iterations = 200;
    scorer.Score(scoredTasks, sampled);
    return 1e6 * Median(Enumerable.Range(0, repeats).Select(_ =>
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++) scorer.Score(scoredTasks, sampled);
        return clock.Elapsed.TotalSeconds / Iterations;
    }));
}
var (inline, guarded) = (ScoringMicros(false), ScoringMicros(true));
var calls = plugins.Rewards.Count * scoredTasks.Count;
Console.WriteLine(string.Create(invariant, $"reward scoring of one step ({calls} plugin calls): inline {inline:F0} µs, guarded {guarded:F0} µs; {(guarded - inline) / calls:F1} µs per call, {100 * (guarded - inline) / 1e6 / stepSeconds:F3}% of the step"));

// 5. Side by side: each row's ratio per pair (PyTorch time / harness time), its median and range.
Console.WriteLine();
Console.WriteLine($"side by side with PyTorch {pairs[0].Python.GetProperty("torch_version").GetString()}, {repeats} interleaved pairs "
    + "(ratio = PyTorch time / harness time per pair, median (range); above 1: the harness is faster)");
void Row(string what, Func<int, double> harness, Func<System.Text.Json.JsonElement, double> peer, string unit, bool higherIsBetter)
{
    var ratios = pairs.Select((p, i) => higherIsBetter ? harness(i) / peer(p.Python) : peer(p.Python) / harness(i)).ToArray();
    Console.WriteLine(string.Create(invariant,
        $"  {what,-34} harness {Median(pairs.Select((_, i) => harness(i))),10:F4} {unit,-9} pytorch {Median(pairs.Select(p => peer(p.Python))),10:F4} {unit,-9} ratio {Figures.Ratios(ratios)}"));
}
double P(System.Text.Json.JsonElement py, string key) => py.GetProperty(key).GetDouble();
double H(int i, string key) => steps[i][key]!.Value;
Row("sampling with KV cache", i => pairs[i].Cached.Tokens / pairs[i].Cached.Seconds, py => P(py, "sampling_tokens_per_s"), "tokens/s", true);
Row("sampling without KV cache", i => pairs[i].Uncached.Tokens / pairs[i].Uncached.Seconds, py => P(py, "nocache_tokens_per_s"), "tokens/s", true);
Row("log-probs + backward per 1k tokens", i => 1000 * H(i, "backward_time_s") / (H(i, "completion_length_mean") * batch), py => 1000 * P(py, "logprob_backward_s") / P(py, "train_tokens"), "s", false);
Row("optimizer", i => H(i, "optimizer_time_s"), py => P(py, "optimizer_s"), "s", false);
Row("step (sampling+backward+optimizer)", i => H(i, "sampling_time_s") + H(i, "backward_time_s") + H(i, "optimizer_time_s"), py => P(py, "step_s"), "s", false);
return 0;

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
