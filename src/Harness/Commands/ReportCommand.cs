using System.ComponentModel;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Experiments;
using Harness.Reports;
using Harness.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Commands;

/// <summary><c>harness report &lt;run-dir&gt; [--out FILE]</c>: writes the run's self-contained HTML report.</summary>
public sealed class ReportCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<ReportCommand.Settings>
{
    public sealed class Settings : RunDirectorySettings
    {
        [CommandOption("--out <FILE>"), Description("Where to write the page (default: report.html in the run directory).")] public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var run = new RunDirectory(Path.GetFullPath(settings.RunDirectory));
        var path = ReportWriter.Write(run, SeriesDetectors(run, settings.Directories), settings.Out);
        terminal.Console.MarkupLineInterpolated($"[green]report:[/] {path}");
        return 0;
    }

    /// <summary>The run's own series detectors (from config.json), or aha-moment when it names none.</summary>
    private IReadOnlyList<PluginHandle<ISeriesDetector>> SeriesDetectors(RunDirectory run, IEnumerable<string> extraDirectories)
    {
        var config = File.Exists(run.Config) ? ExperimentLoader.Load(run.Config) : null;
        var catalog = catalogs.Scan((config?.PluginDirectories ?? []).Concat(extraDirectories));
        var defaultLimit = config?.Run.PluginTimeLimitSeconds ?? RunConfig.DefaultPluginTimeLimitSeconds;
        var named = (config?.Detectors ?? [])
            .Where(d => catalog.Plugins.Any(p => p.Kind == PluginKind.SeriesDetector && string.Equals(p.Name, d.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(d => ExperimentPlugins.Open<ISeriesDetector>(catalog, PluginKind.SeriesDetector, d, defaultLimit))
            .ToList();
        if (named.Count == 0) named.Add(ExperimentPlugins.Open<ISeriesDetector>(catalog, PluginKind.SeriesDetector, new PluginReference { Name = "aha-moment" }, defaultLimit));
        return named;
    }
}
