using Harness.Abstractions;
using Harness.Catalog;
using Harness.Diagnostics;
using Harness.Runs;
using Harness.Training;

namespace Harness.Reports;

/// <summary>Writes a run directory's report.html from its files, replacing any earlier one atomically.</summary>
public static class ReportWriter
{
    public static string Write(RunDirectory run, IReadOnlyList<PluginHandle<ISeriesDetector>> detectors, string? output = null)
    {
        var series = MetricHistory.Read(run.Metrics).ToSeries();
        var probes = File.Exists(run.Probes)
            ? File.ReadLines(run.Probes).Where(l => !string.IsNullOrWhiteSpace(l)).Select(ProbeRecord.Parse).ToArray()
            : [];
        var data = new ReportData(
            $"Run {Path.GetFileName(run.Root)}",
            series,
            [.. detectors.Select(d => (d.Name, SeriesWatch.Analyze(d, series, "for the report")))],
            probes,
            File.Exists(run.Config) ? File.ReadAllText(run.Config) : "(no config.json)",
            File.Exists(run.Manifest) ? File.ReadAllText(run.Manifest) : "(no manifest.json)",
            Doctor.Examine(run));
        var path = Path.GetFullPath(output ?? run.Report);
        var partial = path + ".partial";
        File.WriteAllText(partial, HtmlReport.Render(data));
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
