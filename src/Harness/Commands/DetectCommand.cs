using System.ComponentModel;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Runs;
using Harness.Training;

namespace Harness.Commands;

/// <summary><c>harness detect &lt;run-dir&gt; [--json] [--detector NAME]</c>: a series detector's verdict on a run, from its metrics (and its settings in the run's config).</summary>
public sealed class DetectCommand(Terminal terminal, RunReader reader) : Command<DetectCommand.Settings>
{
    public sealed class Settings : RunReadingSettings
    {
        [CommandOption("--detector <NAME>"), Description("The series detector to run (default: aha-moment).")] public string Detector { get; init; } = "aha-moment";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (run, catalog) = reader.Read(settings);
        var report = SeriesWatch.Judge(catalog, run, settings.Detector, $"on {settings.RunDirectory}");
        if (settings.Json) terminal.Out.WriteLine(ToJson(report));
        else Render(report);
        return 0;
    }

    /// <summary>The report with its typed parts lifted out: <c>aha_step</c> and <c>window</c> from its window, <c>slopes</c> per curve.</summary>
    public static string ToJson(SeriesReport report) => JsonSerializer.Serialize(new
    {
        verdict = report.Verdict,
        aha_step = report.Window?.At,
        window = report.Window is { } w ? new[] { w.Start, w.End } : null,
        slopes = report.Curves.Where(c => c.SlopeBefore is not null).ToDictionary(c => c.Metric, c => new { before = c.SlopeBefore, after = c.SlopeAfter }),
        values = report.Values,
        explanation = report.Explanation,
    }, JsonOutput.Options);

    private void Render(SeriesReport report)
    {
        terminal.Console.MarkupLineInterpolated($"[bold]{report.Verdict}[/]: {report.Explanation}");
        var table = new Table().Border(TableBorder.Simple).AddColumns("value", "");
        foreach (var (name, value) in report.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(name), value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        terminal.Console.Write(table);
    }
}
