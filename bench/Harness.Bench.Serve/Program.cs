using System.Globalization;
using System.Text.Json;
using Harness.Bench;
using static Harness.Bench.Figures;
using Harness.Bench.Serve;

// harness serve under load over loopback, side by side with bench/python/reward_server.py (the same accuracy + format
// reward in Python's standard library, an OpenRLHF reward server like openrlhf/cli/serve_rm.py): N concurrent clients
// (1, 16, 64, 256) each sending single-sample OpenRLHF requests for a bounded time, the two servers interleaved
// (harness, Python, harness, Python, ...): requests a second, p50/p99 latency, errors, the servers' peak memory, the
// median of the paired ratios with their range; then a soak of the harness at 64 clients with its memory sampled.
// Each experiment of --experiments (default: the R1-Zero rewards alone, the same work as the reference; then the main
// job's rewards and six detectors) is a table of its own.
// Usage (from the repository root): bench/serve.sh [--seconds S] [--repeats R] [--clients 1,16,64,256] [--soak-seconds S] [--experiments A.json,B.json] [--answers tags|boxed]
var invariant = CultureInfo.InvariantCulture;
var options = new BenchArgs(args);
var seconds = options.Number("--seconds", 10);
var repeats = options.Number("--repeats", 2);
var soakSeconds = options.Number("--soak-seconds", 120);
var levels = options.Text("--clients", "1,16,64,256").Split(',').Select(c => int.Parse(c, invariant)).ToArray();
var python = options.Text("--python", "python3");
var harness = options.Text("--harness", Path.Combine("src", "Harness", "bin", "Release", "net10.0", "harness.dll"));
var work = Path.GetFullPath(options.Text("--work", Path.Combine("artifacts", "bench", "serve")));
if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
Directory.CreateDirectory(work);

// Where the completions write their final answers: tags (<answer>N</answer>, as the reference reads them) or boxed
// ($\boxed{N}$, MATH-style runs'; the reference reads no box, so its rewards then differ from ours).
var boxed = options.Text("--answers", "tags") == "boxed";
var bodies = Requests(512, boxed);
// The same work as the reference (the R1-Zero rewards alone), then the main job's whole set (the rewards and six detectors).
var experiments = options.Text("--experiments", boxed ? Path.Combine("experiments", "math-rewards.json")
    : string.Join(',', Path.Combine("experiments", "r1-zero-rewards.json"), Path.Combine("experiments", "aha-addition.json"))).Split(',');
using var reference = Server.Start(python, Path.Combine("bench", "python", "reward_server.py"), "--port", "0");
await Load.Drive(reference.Address, 16, TimeSpan.FromSeconds(8), bodies);
Console.WriteLine($"{Environment.ProcessorCount} cores; {seconds} s a level, {repeats} interleaved pairs; single-sample OpenRLHF requests over loopback");
Server? last = null;
foreach (var experiment in experiments)
{
    last?.Dispose();
    var ours = last = Server.Start("dotnet", harness, "serve", experiment, "--urls", "http://127.0.0.1:0", "--out", Path.Combine(work, Path.GetFileNameWithoutExtension(experiment)));
    var (a, b) = (await Load.Rewards(ours.Address, bodies.Take(64).ToArray()), await Load.Rewards(reference.Address, bodies.Take(64).ToArray()));
    Console.WriteLine();
    Console.WriteLine($"harness serve {experiment}: " + (a.SequenceEqual(b)
        ? $"the same reward as the reference for each of 64 requests ({a.Count(r => r > 1):N0} correct, {a.Count(r => r is > 0 and < 1):N0} formatted but wrong)"
        : $"rewards differ from the reference's for {a.Zip(b).Count(p => p.First != p.Second)} of 64 requests"));
    // Warmed before timing: the JIT compiles the hot paths again, optimised, after a few seconds.
    await Load.Drive(ours.Address, 16, TimeSpan.FromSeconds(8), bodies);
    var rows = new List<string>();
    foreach (var clients in levels)
    {
        var pairs = new List<(Load.Result Harness, long HarnessPeak, Load.Result Python, long PythonPeak)>();
        for (var r = 0; r < repeats; r++)
        {
            var (h, hp) = await Measured(ours, clients);
            var (p, pp) = await Measured(reference, clients);
            pairs.Add((h, hp, p, pp));
        }
        var ratios = pairs.Select(p => p.Harness.PerSecond / p.Python.PerSecond).ToArray();
        // Latencies of the repeat at the median throughput of each side.
        var (typicalHarness, typicalPython) = (pairs.OrderBy(p => p.Harness.PerSecond).ElementAt(pairs.Count / 2), pairs.OrderBy(p => p.Python.PerSecond).ElementAt(pairs.Count / 2));
        rows.Add(string.Create(invariant,
            $"| {clients} | {Median(pairs.Select(p => p.Harness.PerSecond)):N0} | {typicalHarness.Harness.P50Ms:F2} | {typicalHarness.Harness.P99Ms:F2} | {pairs.Sum(p => p.Harness.Errors)} | {Mib(pairs.Max(p => p.HarnessPeak)):F0} " +
            $"| {Median(pairs.Select(p => p.Python.PerSecond)):N0} | {typicalPython.Python.P50Ms:F2} | {typicalPython.Python.P99Ms:F2} | {pairs.Sum(p => p.Python.Errors)} | {Mib(pairs.Max(p => p.PythonPeak)):F0} " +
            $"| {Median(ratios):F2} ({ratios.Min():F2}–{ratios.Max():F2}) |"));
        Console.WriteLine(rows[^1]);
    }
    Console.WriteLine();
    Console.WriteLine("| clients | harness req/s | p50 ms | p99 ms | errors | peak MiB | python req/s | p50 ms | p99 ms | errors | peak MiB | ratio (median, range) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
    foreach (var row in rows) Console.WriteLine(row);
}

if (soakSeconds > 0 && last is { } soaked)
{
    Console.WriteLine();
    Console.WriteLine($"soak: harness serve {experiments[^1]} at 64 clients for {soakSeconds} s, resident memory every 10 s (MiB):");
    var samples = new List<double>();
    using var sampler = new Timer(_ => { lock (samples) samples.Add(Mib(ProcessPeak.TreeResident(soaked.Process.Id))); }, null, 0, 10_000);
    var soak = await Load.Drive(soaked.Address, 64, TimeSpan.FromSeconds(soakSeconds), bodies);
    lock (samples)
    {
        Console.WriteLine("  " + string.Join(" ", samples.Select(s => s.ToString("F0", invariant))));
        var settled = samples.Skip(samples.Count / 3).ToArray();
        Console.WriteLine(string.Create(invariant,
            $"  {soak.Requests:N0} requests, {soak.Errors} errors, {soak.PerSecond:N0}/s, p99 {soak.P99Ms:F2} ms; memory after the first third: {settled.Min():F0}–{settled.Max():F0} MiB"));
    }
}
last?.Dispose();
return 0;

async Task<(Load.Result, long)> Measured(Server server, int clients)
{
    using var peak = new ProcessPeak.Watch(server.Process.Id);
    var result = await Load.Drive(server.Address, clients, TimeSpan.FromSeconds(seconds), bodies);
    return (result, peak.Peak);
}

// Single-sample OpenRLHF requests: R1-style completions, some re-checking, some wrong, some untagged, with the end
// token the engine keeps in the query.
static string[] Requests(int n, bool boxed)
{
    var random = new Random(5);
    return [.. Enumerable.Range(0, n).Select(i =>
    {
        var (x, y) = (random.Next(1000, 99999), random.Next(1000, 99999));
        var prompt = $"A conversation between User and Assistant. The assistant first thinks about the reasoning process and then provides the answer. User: What is {x} + {y}? Assistant:";
        var reasoning = string.Concat(Enumerable.Repeat($"Adding the columns of {x} and {y} from the right, carrying where a column passes nine. ", 1 + random.Next(8)));
        var answer = i % 4 == 3 ? x + y + 10 : x + y;
        string Final(int value) => boxed ? $" The answer is $\\boxed{{{value}}}$." : $" <answer>{value}</answer>";
        var completion = (i % 5) switch
        {
            0 => $" <think>{reasoning}{x} + {y} = {answer}. Wait, let me re-check: {x} + {y} = {x + y}.</think>{Final(x + y)}",
            4 => $" The sum is {answer}.",
            _ => $" <think>{reasoning}{x} + {y} = {answer}.</think>{Final(answer)}",
        };
        return JsonSerializer.Serialize(new { query = new[] { prompt + completion + "<|im_end|>" }, prompts = new[] { prompt }, labels = new[] { (x + y).ToString(CultureInfo.InvariantCulture) } });
    })];
}
