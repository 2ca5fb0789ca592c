using System.Text.Json;
using Harness.Catalog;
using Harness.Core;
using Harness.Diagnostics;
using Harness.Experiments;
using Harness.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Commands;

/// <summary><c>harness doctor &lt;run-dir&gt; [--json]</c>: each failure mode found in a run, with evidence and the fix plugin to try.</summary>
public sealed class DoctorCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<RunReadingSettings>
{
    public override int Execute(CommandContext context, RunReadingSettings settings, CancellationToken cancellationToken)
    {
        var run = LoadedRun.Open(settings.RunDirectory);
        var catalog = catalogs.Scan((run.Config?.PluginDirectories ?? []).Concat(settings.Directories));
        var report = Doctor.Examine(run, DeclaredOutputs.Of(run.Config, catalog).FailureModes);
        if (settings.Json) terminal.Out.WriteLine(ToJson(report));
        else Render(report);
        return 0;
    }

    public static string ToJson(DoctorReport report) => JsonSerializer.Serialize(new
    {
        run = report.Run,
        steps = report.Steps,
        modes = report.Diagnoses.Select(d => new
        {
            mode = d.Mode.Info.Name,
            status = d.StatusText,
            metric = d.Mode.Info.Metric,
            threshold = d.Mode.Info.Threshold,
            from_step = d.FromStep,
            to_step = d.ToStep,
            peak = d.Peak,
            peak_step = d.PeakStep,
            final_mean = d.FinalMean,
            evidence = d.Evidence,
            fix = d.Mode.Info.Fix,
            fix_kind = d.Mode.Info.FixKind,
            fix_in_use = d.FixInUse,
            examples = d.Examples.Select(e => new { step = e.Step, completion = e.Text }),
        }),
        fix_events = report.FixEvents,
    }, JsonOutput.Options);

    private void Render(DoctorReport report)
    {
        var found = report.Diagnoses.Count(d => d.Status == DiagnosisStatus.Found);
        terminal.Console.MarkupLineInterpolated($"[bold]{report.Run}[/] ({report.Steps} steps): {(found == 0 ? "no failure mode at the end of the run" : $"{found} failure mode(s) found")}");
        var table = new Table().Border(TableBorder.Simple).AddColumns("mode", "status", "evidence", "fix to try");
        foreach (var d in report.Diagnoses)
            table.AddRow(Markup.Escape(d.Mode.Info.Name), Style(d.Status), Markup.Escape(d.Evidence),
                Markup.Escape(d.FixText));
        terminal.Console.Write(table);
        foreach (var d in report.Diagnoses.Where(d => d.Examples.Count > 0))
        {
            terminal.Console.MarkupLineInterpolated($"[bold]{d.Mode.Info.Name}[/], examples:");
            foreach (var (step, text) in d.Examples) terminal.Console.MarkupLineInterpolated($"  step {step}: {text}");
        }
        foreach (var line in report.FixEvents) terminal.Console.MarkupLineInterpolated($"fix acted, {line}");
    }

    private static string Style(DiagnosisStatus status) => status switch
    {
        DiagnosisStatus.Found => "[red]found[/]",
        DiagnosisStatus.Cleared => "[yellow]cleared[/]",
        DiagnosisStatus.Absent => "[green]absent[/]",
        _ => "[grey]not measured[/]",
    };
}
