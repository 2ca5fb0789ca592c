using System.ComponentModel;
using System.Diagnostics;
using Harness.Core;
using Harness.Experiments;
using Harness.Regression;
using Harness.Runs;
using Harness.Sessions;
using Harness.Sweeps;
using Harness.Catalog;

namespace Harness.Commands;

/// <summary>
/// <c>harness regress &lt;baseline&gt; [--run DIR] [--out DIR] [--junit FILE] [--update]</c>: runs the seeded experiment a
/// committed baseline names (or takes a finished run) and compares its metrics with the baseline's; exit 1 naming every
/// metric that moved and by how much, or, with --update, writes the run's values into the baseline. The baseline may also
/// be a sweep's summary.json: the sweep runs again (or --run names a finished one) and each variant's verdict counts must
/// match.
/// </summary>
public sealed class RegressCommand(Terminal terminal, ExperimentRunner runner, PluginCatalogProvider catalogs, StopRequest stop) : Command<RegressCommand.Settings>
{
    public sealed class Settings : PluginDirectorySettings
    {
        [CommandArgument(0, "<baseline>"), Description("A folder holding baseline.json (the experiment, its --set overrides, the metrics with tolerances), or a sweep's summary.json (or its folder).")] public string Baseline { get; init; } = "";
        [CommandOption("--run <DIR>"), Description("Compare this finished run (or, for a sweep summary, this finished sweep folder) instead of running the baseline again.")] public string? Run { get; init; }
        [CommandOption("--out <DIR>"), Description("Where the baseline's experiment (or sweep) runs (default: runs/regress-<name>-<time>).")] public string? Out { get; init; }
        [CommandOption("--junit <FILE>"), Description("Also write the comparison as JUnit XML, one test case per metric (per variant and verdict for a sweep).")] public string? JUnit { get; init; }
        [CommandOption("--update"), Description("Write the run's values into baseline.json (tolerances and steps kept), or the sweep's summary over the baseline summary, instead of failing: after an intended change.")] public bool Update { get; init; }
        [CommandOption("--tolerance <RUNS>"), Description("For a sweep summary: how many runs a verdict count may move (default 0).")] public int Tolerance { get; init; }
        [CommandOption("--parallel <P>"), Description("For a sweep summary: runs at a time (default 1).")] public int Parallel { get; init; } = 1;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Update && settings.JUnit is not null)
            throw new HarnessException("--update writes the run's values into the baseline, so there is nothing to report as JUnit: drop --junit or --update.");
        if (SweepBaseline.Is(settings.Baseline)) return Sweep(settings);
        var baseline = Baseline.Load(settings.Baseline);
        var name = Path.GetFileName(Path.GetFullPath(settings.Baseline));
        var file = Path.Combine(settings.Baseline, Baseline.FileName);
        var clock = Stopwatch.StartNew();
        var runDir = settings.Run ?? runner.Start(ExperimentLoader.Load(baseline.Experiment, baseline.Set),
            settings.Out ?? Path.Combine("runs", $"regress-{name}-{DateTime.Now:yyyyMMdd-HHmmss}"), null, new RunProgress(terminal, RunProgress.Grpo), stop).Root;
        var checks = MetricCheck.Compare(baseline, LoadedRun.Open(runDir).Metrics);
        return Conclude(settings, checks, name, file, runDir, clock, () => baseline.UpdateValues(checks));
    }

    /// <summary>A sweep's summary as the baseline: the sweep again (or --run's), then its verdict counts against the baseline's.</summary>
    private int Sweep(Settings settings)
    {
        var file = Directory.Exists(settings.Baseline) ? Path.Combine(settings.Baseline, SweepBaseline.FileName) : settings.Baseline;
        var expected = SweepBaseline.Read(file);
        var plan = SweepBaseline.Plan(expected);
        var name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)))!;
        var clock = Stopwatch.StartNew();
        var folder = Path.GetFullPath(settings.Run ?? settings.Out ?? Path.Combine("runs", $"regress-{name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        if (settings.Run is null)
        {
            plan.WriteOrCheck(folder);
            new SweepScheduler(folder, plan, settings.Parallel, [.. settings.Directories.Select(Path.GetFullPath)], terminal.Out.WriteLine).Run(stop);
        }
        else if (SweepPlan.Read(folder) is var given && (!Describe(given).SequenceEqual(Describe(plan)) || !given.Seeds.SequenceEqual(plan.Seeds)))
            throw new HarnessException($"{folder} is another sweep: its variants or seeds differ from {file}'s.");
        var config = ExperimentLoader.Load(plan.Experiment, plan.Set);
        var catalog = catalogs.Scan(config.PluginDirectories.Concat(settings.Directories));
        var actual = SweepAnalysis.Summarize(folder, plan, catalog, expected.Detector, expected.Alpha);
        var checks = SweepBaseline.Compare(expected, actual, config.Run.Steps, settings.Tolerance);
        return Conclude(settings, checks, name, file, folder, clock,
            () => AtomicText.Write(file, System.Text.Json.JsonSerializer.Serialize(actual, JsonOutput.Options) + "\n"));
    }

    /// <summary>The table, the JUnit file, and the verdict on the checks: updated, reproduced, or moved (exit 1).</summary>
    private int Conclude(Settings settings, IReadOnlyList<MetricCheck> checks, string name, string file, string runDir, Stopwatch clock, Action update)
    {
        if (settings.JUnit is { } junit) JUnitReport.Write(junit, $"regress.{name}", checks, clock.Elapsed.TotalSeconds);

        var table = new Table().Border(TableBorder.Simple).AddColumns("metric", "step", "baseline", "run", "difference", "tolerance", "");
        foreach (var c in checks)
            table.AddRow(Markup.Escape(c.Metric.Name), $"{c.Step}", Number(c.Metric.Value), c.Actual is { } a ? Number(a) : "-",
                c.Difference is { } d ? Number(d) : "-", Number(c.Metric.Tolerance), c.Passed ? "[green]ok[/]" : "[red]moved[/]");
        terminal.Console.Write(table);
        var moved = checks.Where(c => !c.Passed).ToArray();
        if (settings.Update)
        {
            update();
            terminal.Console.MarkupLineInterpolated($"[green]updated:[/] {moved.Length} of {checks.Count} metrics had moved beyond their tolerance; {file} now holds the values of {runDir}.");
            return 0;
        }
        if (moved.Length == 0)
        {
            terminal.Console.MarkupLineInterpolated($"[green]ok:[/] {runDir} reproduces all {checks.Count} metrics of {settings.Baseline}.");
            return 0;
        }
        foreach (var c in moved) terminal.Error.WriteLine($"moved: {c.Describe()}");
        terminal.Error.WriteLine($"{moved.Length} of {checks.Count} metrics moved from {file} in {runDir}.");
        return 1;
    }

    /// <summary>Each variant's name and overrides, to tell whether two plans run the same variants.</summary>
    private static IEnumerable<string> Describe(SweepPlan plan) => plan.Variants.Select(v => $"{v.Name}: {string.Join(' ', v.Set)}");

    private static string Number(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
