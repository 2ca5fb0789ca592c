using System.Text.Json;
using Harness.Abstractions;
using Harness.Plugins.Detectors.AhaMoment;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>The aha-moment detector on synthetic runs of 500 steps with seeded noise (pass@1 every 10 steps).</summary>
public class AhaMomentTests
{
    private const int Steps = 500;

    /// <summary>Flat at <paramref name="before"/> until <paramref name="bend"/>, then a straight climb to <paramref name="after"/>; bend ≥ Steps means flat.</summary>
    private static Func<int, double> Bend(double before, double after, int bend) =>
        step => step < bend ? before : before + (after - before) * (step - bend) / (double)(Steps - bend);

    /// <summary>A logistic step centred on <paramref name="middle"/>: flat, a climb over about 40 steps, flat again (a transition that saturates).</summary>
    private static Func<int, double> Sigmoid(double before, double after, int middle) =>
        step => before + (after - before) / (1 + Math.Exp(-(step - middle) / 8.0));

    private static Func<int, double> Linear(double from, double to) => step => from + (to - from) * step / (double)Steps;

    private static MetricSeries Series(Func<int, double> length, Func<int, double> verify, Func<int, double> pass, double noise = 1, int seed = 1)
    {
        var random = new Random(seed);
        double Noise(double scale) => scale * noise * (random.NextDouble() - 0.5) * 2;
        var steps = Enumerable.Range(1, Steps).ToArray();
        return new MetricSeries(steps, new Dictionary<string, IReadOnlyList<double?>>
        {
            ["completion_length_mean"] = [.. steps.Select(s => (double?)(length(s) + Noise(40)))],
            ["self_verify_rate"] = [.. steps.Select(s => (double?)Math.Clamp(verify(s) + Noise(0.03), 0, 1))],
            ["pass1_hard"] = [.. steps.Select(s => s % 10 == 1 ? (double?)Math.Clamp(pass(s) + Noise(0.02), 0, 1) : null)],
        });
    }

    private static SeriesReport Analyze(MetricSeries series) => new AhaMomentDetector().Analyze(series);

    [Fact]
    public void A_seed_shaped_phase_transition_is_found_within_five_percent_of_its_step()
    {
        var report = Analyze(Series(Bend(400, 2500, 300), Bend(0.06, 0.75, 300), Bend(0.74, 0.9, 300)));

        Assert.Equal("aha", report.Verdict);
        Assert.InRange(report.Values["aha_step"], 300 - 25, 300 + 25);
        Assert.True(report.Values["window_end"] - report.Values["window_start"] <= 0.15 * Steps);
        Assert.True(report.Values["slope_after/self_verify_rate"] > 10 * Math.Abs(report.Values["slope_before/self_verify_rate"]));
        Snapshot.Match(Rounded(report));
    }

    [Fact]
    public void A_transition_that_saturates_long_before_the_end_is_still_found()
    {
        var report = Analyze(Series(Sigmoid(400, 2500, 150), Sigmoid(0.06, 0.95, 150), Sigmoid(0.24, 1.0, 155)));

        Assert.Equal("aha", report.Verdict);
        Assert.InRange(report.Values["aha_step"], 150 - 25, 150);
        Assert.All(new[] { "completion_length_mean", "self_verify_rate", "pass1_hard" }, curve =>
            Assert.InRange(report.Values[$"ramp_end/{curve}"], 150, 150 + 40));
    }

    [Fact]
    public void A_smooth_rise_from_step_0_is_no_aha()
    {
        var report = Analyze(Series(Linear(400, 2500), Linear(0.06, 0.75), Linear(0.74, 0.9)));
        Assert.Equal("no-aha", report.Verdict);
        Assert.Contains("smooth rise", report.Explanation);
        Snapshot.Match(Rounded(report));
    }

    [Fact]
    public void Length_and_self_verification_up_with_pass_at_1_flat_is_ritual()
    {
        var report = Analyze(Series(Bend(400, 2500, 250), Bend(0.06, 0.75, 250), _ => 0.74));
        Assert.Equal("ritual", report.Verdict);
        Snapshot.Match(Rounded(report));
    }

    [Fact]
    public void Self_verification_up_then_back_down_is_a_premature_plateau()
    {
        Func<int, double> riseAndFall = s => s < 150 ? 0.05 : s < 250 ? 0.05 + 0.45 * (s - 150) / 100.0 : Math.Max(0.08, 0.5 - 0.42 * (s - 250) / 150.0);
        var report = Analyze(Series(Bend(400, 900, 150), riseAndFall, Bend(0.74, 0.78, 150)));
        Assert.Equal("premature-plateau", report.Verdict);
        Snapshot.Match(Rounded(report));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Pure_noise_is_no_aha(int seed)
    {
        var report = Analyze(Series(_ => 500, _ => 0.08, _ => 0.75, noise: 3, seed: seed));
        Assert.Equal("no-aha", report.Verdict);
        Assert.StartsWith("No rise", report.Explanation);
    }

    [Fact]
    public void Bends_far_apart_are_not_one_aha()
    {
        var report = Analyze(Series(Bend(400, 2500, 100), Bend(0.06, 0.75, 250), Bend(0.74, 0.9, 400)));
        Assert.Equal("no-aha", report.Verdict);
        Assert.Contains("apart", report.Explanation);
    }

    [Fact]
    public void A_short_run_gets_no_verdict()
    {
        var series = new MetricSeries([1, 2, 3], new Dictionary<string, IReadOnlyList<double?>>());
        Assert.Equal("too-short", Analyze(series).Verdict);
    }

    [Fact]
    public void Detect_reads_only_metrics_jsonl_and_reports_verdict_step_window_and_slopes()
    {
        using var dir = new TempDirectory();
        var series = Series(Bend(400, 2500, 300), Bend(0.06, 0.75, 300), Bend(0.74, 0.9, 300));
        dir.File("metrics.jsonl", string.Join("\n", series.Steps.Select((step, i) => JsonSerializer.Serialize(
            new Dictionary<string, double?> { ["step"] = step }.Concat(series.Metrics.Select(m => KeyValuePair.Create(m.Key, m.Value[i]))).ToDictionary()))) + "\n");

        var result = HarnessRunner.Run(["detect", dir.Path, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("aha", json.RootElement.GetProperty("verdict").GetString());
        Assert.InRange(json.RootElement.GetProperty("aha_step").GetDouble(), 275, 325);
        Assert.Equal(2, json.RootElement.GetProperty("window").GetArrayLength());
        Assert.Equal(["completion_length_mean", "pass1_hard", "self_verify_rate"],
            json.RootElement.GetProperty("slopes").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public void Detect_without_metrics_names_the_missing_file()
    {
        using var dir = new TempDirectory();
        var result = HarnessRunner.Run(["detect", dir.Path]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{dir.Path}' is none of the formats this harness reads; tried a harness run directory (metrics.jsonl)", result.Error);
    }

    [Fact]
    public void A_reconfigured_verify_metric_keeps_the_typed_window_and_curves_and_the_report_shades_the_window()
    {
        var series = Series(Bend(400, 2500, 300), Bend(0.06, 0.75, 300), Bend(0.74, 0.9, 300));
        var renamed = new MetricSeries(series.Steps, series.Metrics.ToDictionary(m => m.Key == "self_verify_rate" ? "my_verify" : m.Key, m => m.Value));
        var detector = new AhaMomentDetector(new PluginSettings("aha-moment", new Dictionary<string, string> { ["verify_metric"] = "my_verify" }));

        var report = detector.Analyze(renamed);
        var html = Harness.Reports.HtmlReport.Render(new Harness.Reports.ReportData("synthetic", renamed, [("aha-moment", report)], [], [], "{}", "{}",
            new Harness.Diagnostics.DoctorReport("synthetic", Steps, [], [])));

        Assert.Equal("aha", report.Verdict);
        Assert.Equal(["completion_length_mean", "my_verify", "pass1_hard"], report.Curves.Select(c => c.Metric));
        Assert.Equal(report.Values["aha_step"], report.Window!.At);
        Assert.Equal((report.Values["window_start"], report.Values["window_end"]), (report.Window.Start, report.Window.End));
        Assert.Contains(FormattableString.Invariant($"aha window, step {report.Window.At:0}"), html);
        Assert.Contains("<td>my_verify</td>", html);
    }

    private static object Rounded(SeriesReport report) => new
    {
        report.Verdict,
        report.Explanation,
        Values = report.Values.OrderBy(v => v.Key, StringComparer.Ordinal).ToDictionary(v => v.Key, v => Math.Round(v.Value, 4) + 0.0),
    };
}
