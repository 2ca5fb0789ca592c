using System.ComponentModel;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Experiments;
using Harness.Reports;
using Harness.Runs;

namespace Harness.Commands;

/// <summary><c>harness report &lt;run-dir&gt; [--out FILE]</c>: writes the run's self-contained HTML report.</summary>
public sealed class ReportCommand(Terminal terminal, RunReader reader) : Command<ReportCommand.Settings>
{
    public sealed class Settings : RunDirectorySettings
    {
        [CommandOption("--out <FILE>"), Description("Where to write the page (default: report.html in the run directory).")] public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (run, catalog) = reader.Read(settings);
        var path = ReportWriter.Write(run, SeriesDetectors(run.Config, catalog), DeclaredOutputs.Of(run.Config, catalog), settings.Out ?? DefaultReport(run.Source));
        terminal.Console.MarkupLineInterpolated($"[green]report:[/] {path}");
        return 0;
    }

    /// <summary>The run's own series detectors (from its config), or aha-moment when it names none.</summary>
    private static IReadOnlyList<PluginHandle<ISeriesDetector>> SeriesDetectors(ExperimentConfig? config, PluginCatalog catalog)
    {
        var defaultLimit = config?.Run.PluginTimeLimitSeconds ?? RunConfig.DefaultPluginTimeLimitSeconds;
        var named = (config?.Detectors ?? [])
            .Where(d => catalog.Plugins.Any(p => p.Kind == PluginKind.SeriesDetector && string.Equals(p.Name, d.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(d => ExperimentPlugins.Open<ISeriesDetector>(catalog, PluginKind.SeriesDetector, d, defaultLimit))
            .ToList();
        if (named.Count == 0) named.Add(ExperimentPlugins.Open<ISeriesDetector>(catalog, PluginKind.SeriesDetector, new PluginReference { Name = "aha-moment" }, defaultLimit));
        return named;
    }

    /// <summary>report.html in a run's folder; beside a run that is one file, named after it.</summary>
    private static string DefaultReport(string source) =>
        Directory.Exists(source) ? Path.Combine(source, "report.html") : Path.Combine(Path.GetDirectoryName(source)!, Path.GetFileNameWithoutExtension(source) + ".report.html");
}
