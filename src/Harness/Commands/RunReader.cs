using Harness.Answers;
using Harness.Catalog;
using Harness.Core;
using Harness.Imports;
using Harness.Runs;
using Harness.Sessions;

namespace Harness.Commands;

/// <summary>How the commands that work on a run directory (<see cref="RunDirectorySettings"/>) read it.</summary>
public sealed class RunReader(PluginCatalogProvider catalogs)
{
    /// <summary>
    /// The run, read once, and the plugin catalog of the folders its config and <c>--plugins</c> name. Another trainer's
    /// run with completions gets the detectors' rates measured from them (as <c>harness scan</c> does, in memory).
    /// </summary>
    public (LoadedRun Run, PluginCatalog Catalog) Read(RunDirectorySettings settings)
    {
        var run = Import(settings.RunDirectory, settings.Format, settings.PassMetric);
        var catalog = catalogs.Scan((run.Config?.PluginDirectories ?? []).Concat(settings.Directories));
        // Another trainer's run logs no detector rates: they are measured from its completions, when it has some.
        if (run.Producer != "harness" && run.HasCompletions)
            run = CompletionScan.WithRates(run, ScanPlugins.Open(catalog, null, ScanPlugins.DefaultRewards.Split(','), CompletionReader.Default));
        return (run, catalog);
    }

    /// <summary>A run of any format this harness reads, as <c>--format</c> and <c>--pass-metric</c> ask.</summary>
    public static LoadedRun Import(string path, string? format, string? passMetric) =>
        RunImport.Open(path, new ImportOptions(format is null ? null : VariantName.Parse<RunFormat>(format, "--format"), passMetric));
}
