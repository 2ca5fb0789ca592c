using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harness.Bench;
using Harness.Plugins.Rewards.Equivalence;
using static Harness.Bench.Figures;

// The accuracy reward's math equivalence against bench/python/equivalence_reference.py (Debian's SymPy: parse both
// sides, numbers as numbers, else simplify(a - b) == 0) on the same realistic pairs, one core each, interleaved
// (harness, Python, harness, Python, ...): pairs a second, the median of the paired ratios with their range, and the
// harness's latency per pair (p50, p99, max, over every repeat). The pairs: the families of
// tests/Golden/Fixtures/Equivalence (numbers, fractions, roots, sets, intervals, relations, algebra, ...) without the
// ugly and extraction ones; each side's time is its comparison loop alone (start-up and imports not counted).
// Usage (from the repository root): bench/equivalence.sh [--repeats R] [--python python3]
var invariant = CultureInfo.InvariantCulture;
var options = new BenchArgs(args);
var repeats = options.Number("--repeats", 3);
var python = options.Text("--python", "/usr/bin/python3");
var source = options.Text("--pairs", Path.Combine("tests", "Golden", "Fixtures", "Equivalence", "math-verify-verdicts.jsonl"));
var work = Path.GetFullPath(options.Text("--work", Path.Combine("artifacts", "bench", "equivalence")));
Directory.CreateDirectory(work);

var pairs = File.ReadLines(source).Select(l => JsonDocument.Parse(l).RootElement)
    .Where(r => r.GetProperty("family").GetString() is not "ugly" and not "extraction_paths")
    .Select(r => (Gold: r.GetProperty("gold").GetString()!, Answer: r.GetProperty("answer").GetString()!))
    .ToArray();
var file = Path.Combine(work, "pairs.jsonl");
File.WriteAllLines(file, pairs.Select(p => JsonSerializer.Serialize(new { gold = p.Gold, answer = p.Answer })));
Console.WriteLine($"{pairs.Length:N0} realistic gold/answer pairs; one core a side; {repeats} interleaved pairs of runs");

// Warm for 10 s: the JIT recompiles the hot paths with profile-guided optimisation only after many calls (about
// 60 000 here), as a scan or a service reaches within seconds; the first passes run 3–5× slower than the steady state.
for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(10);) Harness();
var latencies = new List<double>();
var runs = new List<(double Harness, double Python, int Agree, int Timeouts)>();
for (var r = 1; r <= repeats; r++)
{
    var (seconds, verdicts, each) = Harness();
    latencies.AddRange(each);
    var reference = Python();
    var agree = verdicts.Zip(reference.Verdicts).Count(p => p.First == p.Second);
    runs.Add((seconds, reference.Seconds, agree, reference.Timeouts));
    Console.WriteLine(string.Create(invariant,
        $"  pair {r}: harness {pairs.Length / seconds,10:N0} pairs/s; python {pairs.Length / reference.Seconds,6:N0} pairs/s ({reference.Timeouts} timeouts); ratio {reference.Seconds / seconds:F0}"));
}
var ratios = runs.Select(r => r.Python / r.Harness).ToArray();
latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
Console.WriteLine();
Console.WriteLine(string.Create(invariant, $"math equivalence, {pairs.Length:N0} pairs (medians of {repeats}):"));
Console.WriteLine(string.Create(invariant, $"  harness (MathEquivalence, one thread)   {pairs.Length / Median(runs.Select(r => r.Harness)),10:N0} pairs/s"));
Console.WriteLine(string.Create(invariant, $"  python + SymPy reference (one process)  {pairs.Length / Median(runs.Select(r => r.Python)),10:N0} pairs/s"));
Console.WriteLine(string.Create(invariant, $"  ratio (python time / harness time): median {Ratios(ratios)}"));
Console.WriteLine(string.Create(invariant,
    $"  harness latency per pair: p50 {Percentile(0.5) * 1e6:F1} µs, p99 {Percentile(0.99) * 1e6:F1} µs, max {latencies[^1] * 1e6:F1} µs"));
Console.WriteLine(string.Create(invariant, $"  verdicts the two sides share: {runs[0].Agree:N0} of {pairs.Length:N0} ({100.0 * runs[0].Agree / pairs.Length:F1} %)"));
return 0;

(double Seconds, bool[] Verdicts, double[] Each) Harness()
{
    var verdicts = new bool[pairs.Length];
    var each = new double[pairs.Length];
    var total = Stopwatch.StartNew();
    for (var i = 0; i < pairs.Length; i++)
    {
        var start = Stopwatch.GetTimestamp();
        verdicts[i] = MathEquivalence.Equivalent(pairs[i].Answer, pairs[i].Gold);
        each[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
    return (total.Elapsed.TotalSeconds, verdicts, each);
}

(double Seconds, bool[] Verdicts, int Timeouts) Python()
{
    var run = ProcessPeak.Run(python, [Path.Combine("bench", "python", "equivalence_reference.py"), file]);
    if (run.ExitCode != 0) throw new InvalidOperationException($"equivalence_reference.py exited {run.ExitCode}: {run.Error}");
    var result = JsonDocument.Parse(run.Output).RootElement;
    return (result.GetProperty("seconds").GetDouble(), [.. result.GetProperty("verdicts").EnumerateArray().Select(v => v.GetBoolean())],
        result.GetProperty("timeouts").GetInt32());
}
