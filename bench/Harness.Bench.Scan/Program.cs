using System.Globalization;
using System.Text.Json;
using Harness.Bench;
using static Harness.Bench.Figures;
using Harness.Bench.Scan;

// harness scan over a million R1-style completions (every first-party detector: the five failure modes' and
// self-verification; the R1-Zero rewards where the gold answer is known), side by side with
// bench/python/scan_phrases.py (the same phrases counted with Python's re) on the same file, interleaved
// (harness, Python, harness, Python, ...): completions per second, the median of the paired ratios and their range,
// peak memory, a check that both sides count the same phrases, and the harness's peak memory on a file a tenth the
// size (streaming: memory should not grow with the file).
// Usage (from the repository root): bench/scan.sh [--completions N] [--repeats R] [--workers W] [--answers tags|boxed]
var invariant = CultureInfo.InvariantCulture;
var options = new BenchArgs(args);
var completions = options.Number("--completions", 1_000_000);
var repeats = options.Number("--repeats", 3);
var workers = options.Number("--workers", 1);
// Where the corpus writes its final answers: tags (<answer>N</answer>, R1's) or boxed ($\boxed{N}$, MATH-style runs').
var boxed = options.Text("--answers", "tags") == "boxed";
var python = options.Text("--python", "python3");
var harness = options.Text("--harness", Path.Combine("src", "Harness", "bin", "Release", "net10.0", "harness.dll"));
var work = Path.GetFullPath(options.Text("--work", Path.Combine("artifacts", "bench", "scan")));
Directory.CreateDirectory(work);

var file = Corpus(completions);
// --corpus-only: write the corpus (for bench/answers.sh) and stop.
if (args.Contains("--corpus-only"))
{
    Console.WriteLine(file);
    return 0;
}
var small = Corpus(Math.Max(1, completions / 10));
Console.WriteLine(string.Create(invariant,
    $"corpus: {completions:N0} completions, {new FileInfo(file).Length / 1e9:F2} GB; {Environment.ProcessorCount} cores; harness lanes: one per core; Python processes: {workers}"));

var agreement = Agreement(small);
Console.WriteLine(agreement.Differences == 0
    ? $"agreement: both count the same phrases ({agreement.Compared:N0} step × phrase counts on {Path.GetFileName(small)})"
    : $"agreement: {agreement.Differences} of {agreement.Compared:N0} step × phrase counts differ: the sides do not count the same phrases");

var pairs = new List<(ProcessPeak.Measured Harness, ProcessPeak.Measured Python)>();
for (var r = 1; r <= repeats; r++)
{
    var (h, p) = (Harness(file), Python(file));
    pairs.Add((h, p));
    Console.WriteLine(string.Create(invariant,
        $"  pair {r}: harness {h.Seconds,7:F1} s, peak {Mib(h.PeakBytes),5:F0} MiB; python {p.Seconds,7:F1} s, peak {Mib(p.PeakBytes),5:F0} MiB; ratio {p.Seconds / h.Seconds:F2}"));
}
var smallPeak = Harness(small).PeakBytes;

var ratios = pairs.Select(p => p.Python.Seconds / p.Harness.Seconds).ToArray();
Console.WriteLine();
Console.WriteLine($"scan of {completions:N0} completions, {repeats} interleaved pairs (medians; wall time of the whole command, start-up included):");
Console.WriteLine(string.Create(invariant,
    $"  harness scan: 6 detectors + 2 rewards, a run directory written  {completions / Median(pairs.Select(p => p.Harness.Seconds)),9:N0} completions/s  peak {Mib(Median(pairs.Select(p => (double)p.Harness.PeakBytes))),5:F0} MiB"));
Console.WriteLine(string.Create(invariant,
    $"  python re reference: phrases only, {workers} process(es)          {completions / Median(pairs.Select(p => p.Python.Seconds)),9:N0} completions/s  peak {Mib(Median(pairs.Select(p => (double)p.Python.PeakBytes))),5:F0} MiB"));
Console.WriteLine(string.Create(invariant, $"  ratio (python time / harness time): median {Median(ratios):F2}, range {ratios.Min():F2}–{ratios.Max():F2}"));
Console.WriteLine(string.Create(invariant,
    $"  harness peak memory: {Mib(smallPeak):F0} MiB on {completions / 10:N0} completions, {Mib(pairs.Select(p => (double)p.Harness.PeakBytes).DefaultIfEmpty(0).Max()):F0} MiB on {completions:N0}"));
return agreement.Differences == 0 ? 0 : 1;

string Corpus(int n)
{
    var path = Path.Combine(work, $"completions-{n}{(boxed ? "-boxed" : "")}.jsonl");
    if (File.Exists(path)) return path;
    Console.WriteLine($"writing {n:N0} completions to {path} ...");
    ScanCorpus.Write(path + ".tmp", n, seed: 1, boxed);
    File.Move(path + ".tmp", path);
    return path;
}

ProcessPeak.Measured Harness(string input)
{
    var output = Path.Combine(work, "run");
    if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
    return Checked("harness scan", ProcessPeak.Run("dotnet", [harness, "scan", input, "--out", output]));
}

ProcessPeak.Measured Python(string input, int processes = 0) =>
    Checked("scan_phrases.py", ProcessPeak.Run(python, [Path.Combine("bench", "python", "scan_phrases.py"), input, "--workers", $"{(processes > 0 ? processes : workers)}"]));

// The harness's phrase rates per step (phrase/<name>_rate) times the step's count against the reference's counts of
// the same file. Not self_verify_rate: the harness's also counts re-derivations, which the reference does not find.
(int Differences, int Compared) Agreement(string input)
{
    Harness(input);
    var counts = JsonDocument.Parse(Python(input, Environment.ProcessorCount).Output).RootElement.GetProperty("steps");
    var (differences, compared) = (0, 0);
    foreach (var line in File.ReadLines(Path.Combine(work, "run", "metrics.jsonl")))
    {
        var metrics = JsonDocument.Parse(line).RootElement;
        if (!counts.TryGetProperty(metrics.GetProperty("step").GetInt32().ToString(invariant), out var expected)) { differences++; continue; }
        var n = expected.GetProperty("n").GetInt32();
        foreach (var (name, count) in expected.GetProperty("phrases").EnumerateObject().Select(p => ($"phrase/{p.Name}_rate", p.Value.GetInt32())))
        {
            compared++;
            if (Math.Round(metrics.GetProperty(name).GetDouble() * n) != count) differences++;
        }
    }
    return (differences, compared);
}

static ProcessPeak.Measured Checked(string what, ProcessPeak.Measured measured) =>
    measured.ExitCode == 0 ? measured : throw new InvalidOperationException($"{what} failed (exit {measured.ExitCode}): {measured.Error}");
