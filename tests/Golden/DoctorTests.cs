using System.Globalization;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Diagnostics;
using Harness.Experiments;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>
/// <c>harness doctor</c> on a hand-made run directory of 40 steps where each mode's metric has a known shape:
/// ritual verification sets in at step 11 and stays, language mixing shows early and clears, repetition
/// stays low, format hacking is not logged, and self-verification rises to 0.6 and falls back to 0.1.
/// </summary>
public class DoctorTests
{
    private const int Steps = 40;

    private static string WriteRun(TempDirectory dir)
    {
        var lines = Enumerable.Range(1, Steps).Select(step => JsonSerializer.Serialize(new Dictionary<string, double>
        {
            ["step"] = step,
            ["ritual_rate"] = step <= 10 ? 0 : 0.6,
            ["language_mixing_rate"] = step <= 15 ? 0.3 : 0,
            ["repetition_rate"] = 0.02,
            ["self_verify_rate"] = step <= 15 ? 0.04 * step : step <= 25 ? 0.6 - 0.05 * (step - 15) : 0.1,
        }));
        dir.File("metrics.jsonl", string.Join('\n', lines) + "\n");
        dir.File("completions.jsonl", string.Join('\n',
            Completion(5, "<think>58 + 67 = 125. Wait. unidades 8+7+0=15. Entonces la suma es 125.</think><answer>125</answer>", "mixed-language"),
            Completion(12, "<think>58 + 67 = 125. Wait. 58 + 67 = 125.</think><answer>125</answer>", "ritual"),
            Completion(30, "<think>58 + 67 = 115. Wait. 58 + 67 = 115.</think><answer>115</answer>", "ritual"),
            Completion(31, "<think>58 + 67 = 125.</think><answer>125</answer>")) + "\n");
        dir.File("config.json", """{ "rewards": [ { "name": "accuracy" }, { "name": "overlap-penalty" } ], "fixes": [ { "name": "plateau-guard" } ] }""");
        dir.File("manifest.json", "{}");
        dir.File("events.jsonl", """{"step":22,"kind":"fix","plugin":"plateau-guard","reason":"self_verify_rate fell to 0.29 (moving average over 5 steps) from a peak of 0.6","learning_rate":1E-05,"beta":0.02}""" + "\n");
        return dir.Path;
    }

    private static string Completion(int step, string text, params string[] flags) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["step"] = step, ["group"] = 0, ["prompt"] = "What is 58 + 67?", ["completion"] = text, ["tokens"] = text.Length, ["truncated"] = false,
        ["reward"] = 1, ["terms"] = new Dictionary<string, double>(), ["advantage"] = 0, ["flags"] = flags,
    });

    [Fact]
    public void Doctor_json_names_each_mode_with_its_status_numbers_examples_and_fix()
    {
        using var dir = new TempDirectory();
        var result = HarnessRunner.Run(["doctor", WriteRun(dir), "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var modes = json.RootElement.GetProperty("modes").EnumerateArray().ToDictionary(m => m.GetProperty("mode").GetString()!, m => m);
        Assert.Equal("found", modes["ritual verification"].GetProperty("status").GetString());
        Assert.Equal(12, modes["ritual verification"].GetProperty("from_step").GetInt32());
        Assert.Equal(0.6, modes["ritual verification"].GetProperty("final_mean").GetDouble(), 9);
        Assert.Equal(30, modes["ritual verification"].GetProperty("examples")[0].GetProperty("step").GetInt32());
        Assert.True(modes["ritual verification"].GetProperty("fix_in_use").GetBoolean());
        Assert.Equal("cleared", modes["language mixing"].GetProperty("status").GetString());
        Assert.Equal("absent", modes["repetition loops"].GetProperty("status").GetString());
        Assert.Equal("not measured", modes["format hacking"].GetProperty("status").GetString());
        Assert.Equal("found", modes["premature plateau"].GetProperty("status").GetString());
        Assert.Equal("plateau-guard", modes["premature plateau"].GetProperty("fix").GetString());
        Assert.Contains("step 22: plateau-guard", json.RootElement.GetProperty("fix_events")[0].GetString());
        Snapshot.Match(result.Out.Replace(Path.GetFileName(dir.Path), "<run>", StringComparison.Ordinal));
    }

    [Fact]
    public void Doctor_table_shows_every_mode_and_the_fix_to_try()
    {
        using var dir = new TempDirectory();
        var result = HarnessRunner.Run(["doctor", WriteRun(dir)]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2 failure mode(s) found", result.Console);
        var declared = DeclaredOutputs.Of(null, PluginCatalog.Scan(new HarnessOptions().AllPluginDirectories([]))).FailureModes;
        Assert.Equal(["format hacking", "language mixing", "repetition loops", "ritual verification", "premature plateau"], declared.Select(m => m.Info.Name));
        foreach (var mode in declared)
        {
            Assert.Contains(mode.Info.Name, result.Console);
            Assert.Contains(mode.Info.Fix, result.Console);
        }
        Assert.Contains("add the detector 'format-hacking'", result.Console);
    }

    [Fact]
    public void A_rate_that_recovers_after_falling_is_a_cleared_plateau()
    {
        var steps = Enumerable.Range(1, 40).ToArray();
        double[] rates = [.. steps.Select(s => s <= 10 ? 0.05 * s : s <= 20 ? 0.5 - 0.04 * (s - 10) : 0.5)];
        var series = new Abstractions.MetricSeries(steps, new Dictionary<string, IReadOnlyList<double?>> { ["self_verify_rate"] = [.. rates.Select(r => (double?)r)] });

        var plateau = new DeclaredFailureMode("self-verification",
            new FailureModeInfo("premature plateau", "self_verify_rate", FailureRule.FallFromPeak, 0.2, "plateau-guard", "fix strategy", "rose, then fell back"));

        var diagnosis = Doctor.Judge(plateau, series, () => [], new HashSet<string>());

        Assert.Equal(DiagnosisStatus.Cleared, diagnosis.Status);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"recovered to {0.5:0.00}"), diagnosis.Evidence);
    }

    [Fact]
    public void A_directory_without_metrics_is_refused_by_name_and_one_with_metrics_alone_is_read_with_what_is_missing_said()
    {
        using var dir = new TempDirectory();
        var refused = HarnessRunner.Run(["doctor", dir.Path]);
        dir.File("metrics.jsonl", "{\"step\":1,\"self_verify_rate\":0.1}\n{\"step\":2,\"self_verify_rate\":0.2}\n");
        var read = HarnessRunner.Run(["doctor", dir.Path, "--json"]);

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"error: '{dir.Path}' is none of the formats this harness reads; tried a harness run directory (metrics.jsonl)", refused.Error.Trim());
        Assert.True(read.ExitCode == 0, read.Error);
        var modes = System.Text.Json.Nodes.JsonNode.Parse(read.Out)!["modes"]!.AsArray();
        Assert.Equal(4, modes.Count(m => (string)m!["status"]! == "not measured"));
        Assert.Equal("absent", (string)modes.Single(m => (string)m!["metric"]! == "self_verify_rate")!["status"]!);
    }

    [Fact]
    public void A_third_party_detector_adds_its_failure_mode_to_the_doctor_without_a_host_change()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TestPluginCompiler.Compile(plugins, "Test.Overconfidence", """
            using System.Collections.Generic;
            using System.Linq;
            using Harness.Abstractions;
            [assembly: HarnessContract(ContractVersion.Current)]
            [Plugin("overconfidence")]
            public sealed class Overconfidence : IDetector, IDeclaresOutputs
            {
                public PluginOutputs Outputs { get; } = new([new MetricInfo("overconfident_rate", "share of answers with no reasoning")])
                {
                    FailureModes = [new FailureModeInfo("overconfidence", "overconfident_rate", FailureRule.SustainedRate, 0.3, "think-bonus", "reward",
                        "answers with an empty think block") { ExampleFlag = "overconfident" }],
                };

                public DetectorReport Detect(DetectorInput step) => new(
                    step.Completions.Select(_ => new CompletionFindings([], new Dictionary<string, double>())).ToArray(), new Dictionary<string, double>());
            }
            """);
        var run = Path.Combine(dir.Path, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), string.Concat(Enumerable.Range(1, 20).Select(step => $"{{\"step\":{step},\"overconfident_rate\":{(step > 5 ? "0.5" : "0.1")}}}\n")));
        File.WriteAllText(Path.Combine(run, "completions.jsonl"), Completion(18, "<think></think><answer>125</answer>", "overconfident") + "\n");

        var result = HarnessRunner.Run(["doctor", run, "--plugins", plugins, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var mode = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!["modes"]!.AsArray().Single(m => (string)m!["mode"]! == "overconfidence")!;
        Assert.Equal("found", (string)mode["status"]!);
        Assert.Equal("think-bonus", (string)mode["fix"]!);
        Assert.Equal("<think></think><answer>125</answer>", (string)mode["examples"]![0]!["completion"]!);
    }
}
