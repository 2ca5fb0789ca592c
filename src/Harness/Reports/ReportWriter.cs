using Harness.Abstractions;
using Harness.Catalog;
using Harness.Diagnostics;
using Harness.Experiments;
using Harness.Runs;
using Harness.Training;

namespace Harness.Reports;

/// <summary>Writes a run's report.html from its read model, replacing any earlier one atomically.</summary>
public static class ReportWriter
{
    /// <param name="declared">What the plugins declare they produce: metric labels and families, failure modes.</param>
    public static string Write(LoadedRun run, IReadOnlyList<PluginHandle<ISeriesDetector>> detectors, DeclaredOutputs declared, string output)
    {
        var data = new ReportData(
            $"Run {run.Name}",
            run.Metrics,
            [.. detectors.Select(d => (d.Name, SeriesWatch.Analyze(d, run.Metrics, "for the report")))],
            declared.Metrics,
            run.Probes,
            run.Config is { } config ? RunFile.Indented(config) : "(no config.json)",
            run.Manifest is { } manifest ? RunFile.Indented(manifest) : "(no manifest.json)",
            Doctor.Examine(run, declared.FailureModes));
        var path = Path.GetFullPath(output);
        var partial = path + ".partial";
        File.WriteAllText(partial, HtmlReport.Render(data));
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
