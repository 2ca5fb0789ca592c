using System.ComponentModel;
using System.Diagnostics;
using Harness.Core;
using Harness.Experiments;
using Harness.Regression;
using Harness.Runs;
using Harness.Sessions;

namespace Harness.Commands;

/// <summary>
/// <c>harness regress &lt;baseline-dir&gt; [--run DIR] [--out DIR] [--junit FILE] [--update]</c>: runs the seeded
/// experiment a committed baseline names (or takes a finished run) and compares its metrics with the baseline's;
/// exit 1 naming every metric that moved and by how much, or, with --update, writes the run's values into the baseline.
/// </summary>
public sealed class RegressCommand(Terminal terminal, ExperimentRunner runner, StopRequest stop) : Command<RegressCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<baseline-dir>"), Description("A folder holding baseline.json: the experiment, its --set overrides, and the metrics with tolerances.")] public string Baseline { get; init; } = "";
        [CommandOption("--run <DIR>"), Description("Compare this finished run instead of running the baseline's experiment.")] public string? Run { get; init; }
        [CommandOption("--out <DIR>"), Description("Where the baseline's experiment runs (default: runs/regress-<name>-<time>).")] public string? Out { get; init; }
        [CommandOption("--junit <FILE>"), Description("Also write the comparison as JUnit XML, one test case per metric.")] public string? JUnit { get; init; }
        [CommandOption("--update"), Description("Write the run's values into baseline.json (tolerances and steps kept) instead of failing: after an intended change.")] public bool Update { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Update && settings.JUnit is not null)
            throw new HarnessException("--update writes the run's values into the baseline, so there is nothing to report as JUnit: drop --junit or --update.");
        var baseline = Baseline.Load(settings.Baseline);
        var name = Path.GetFileName(Path.GetFullPath(settings.Baseline));
        var file = Path.Combine(settings.Baseline, Baseline.FileName);
        var clock = Stopwatch.StartNew();
        var runDir = settings.Run ?? runner.Start(ExperimentLoader.Load(baseline.Experiment, baseline.Set),
            settings.Out ?? Path.Combine("runs", $"regress-{name}-{DateTime.Now:yyyyMMdd-HHmmss}"), null, new RunProgress(terminal, RunProgress.Grpo), stop).Root;
        var checks = MetricCheck.Compare(baseline, LoadedRun.Open(runDir).Metrics);
        if (settings.JUnit is { } junit) JUnitReport.Write(junit, $"regress.{name}", checks, clock.Elapsed.TotalSeconds);

        var table = new Table().Border(TableBorder.Simple).AddColumns("metric", "step", "baseline", "run", "difference", "tolerance", "");
        foreach (var c in checks)
            table.AddRow(Markup.Escape(c.Metric.Name), $"{c.Step}", Number(c.Metric.Value), c.Actual is { } a ? Number(a) : "-",
                c.Difference is { } d ? Number(d) : "-", Number(c.Metric.Tolerance), c.Passed ? "[green]ok[/]" : "[red]moved[/]");
        terminal.Console.Write(table);
        var moved = checks.Where(c => !c.Passed).ToArray();
        if (settings.Update)
        {
            baseline.UpdateValues(checks);
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

    private static string Number(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
