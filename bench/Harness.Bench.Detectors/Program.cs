using System.Globalization;
using Harness.Tests.Golden.Fixtures.Detection;

// Precision and recall per flag on the labelled corpus (tests/Golden/Fixtures/Detection), as a Markdown table, then
// every record a detector still gets wrong. Usage: bench/detectors.sh [corpus-dir] [--verbose]
var directory = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? Path.Combine("tests", "Golden", "Fixtures", "Detection");
var verbose = args.Contains("--verbose");
var records = DetectionCorpus.Load(directory);
var scores = DetectionCorpus.Score(records);
string Percent(double x) => (100 * x).ToString("F1", CultureInfo.InvariantCulture);

Console.WriteLine($"{records.Count} completions, {records.Select(r => r.Lang).Distinct().Count()} prompt languages, from {directory}");
Console.WriteLine();
Console.WriteLine("| flag | labelled | flagged | precision % | recall % | right % |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var s in scores)
    Console.WriteLine($"| `{s.Flag}` | {s.TruePositives + s.FalseNegatives} | {s.TruePositives + s.FalsePositives} | {Percent(s.Precision)} | {Percent(s.Recall)} | {Percent(s.Right / (double)s.Total)} |");
var right = scores.Sum(s => s.Right);
var total = scores.Sum(s => s.Total);
Console.WriteLine($"| all labels | | | | | {Percent(right / (double)total)} ({right}/{total}) |");
Console.WriteLine();
foreach (var s in scores)
{
    foreach (var r in s.Missed) Console.WriteLine($"missed {s.Flag}: {r.Id} ({r.File}) {r.Note}" + (verbose ? $"\n    {r.Completion.Replace("\n", "\\n")}" : ""));
    foreach (var r in s.Wrong) Console.WriteLine($"wrongly {s.Flag}: {r.Id} ({r.File}) {r.Note}" + (verbose ? $"\n    {r.Completion.Replace("\n", "\\n")}" : ""));
}
