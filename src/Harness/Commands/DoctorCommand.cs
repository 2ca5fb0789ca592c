using System.Text.Json;
using Harness.Catalog;
using Harness.Core;
using Harness.Diagnostics;
using Harness.Experiments;
using Harness.Runs;

namespace Harness.Commands;

/// <summary><c>harness doctor &lt;run-dir&gt; [--json]</c>: each failure mode found in a run, with evidence and the fix plugin to try.</summary>
public sealed class DoctorCommand(Terminal terminal, RunReader reader) : Command<RunReadingSettings>
{
    public override int Execute(CommandContext context, RunReadingSettings settings, CancellationToken cancellationToken)
    {
        var (run, catalog) = reader.Read(settings);
        var report = Doctor.Examine(run, DeclaredOutputs.Of(run.Config, catalog).FailureModes);
        if (settings.Json) terminal.Out.WriteLine(ToJson(report));
        else Render(report);
        return 0;
    }

    public static string ToJson(DoctorReport report) => JsonSerializer.Serialize(new DoctorJson(report.Run, report.Steps,
        report.Diagnoses.Select(d => new ModeJson(d.Mode.Info.Name, d.StatusText, d.Mode.Info.Metric, d.Mode.Info.Threshold, d.FromStep, d.ToStep, d.Peak,
            d.PeakStep, d.FinalMean, d.Evidence, d.Mode.Info.Fix, d.Mode.Info.FixKind, d.FixInUse, d.Examples.Select(e => new ExampleJson(e.Step, e.Text)))),
        report.FixEvents), JsonOutput.Options);

    private sealed record DoctorJson(string Run, int Steps, IEnumerable<ModeJson> Modes, IReadOnlyList<string> FixEvents);

    private sealed record ModeJson(string Mode, string Status, string Metric, double Threshold, int? FromStep, int? ToStep, double? Peak, int? PeakStep,
        double? FinalMean, string Evidence, string Fix, string FixKind, bool FixInUse, IEnumerable<ExampleJson> Examples);

    private sealed record ExampleJson(int Step, string Completion);

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
