using System.ComponentModel;
using Harness.Catalog;
using Harness.Core;
using Harness.Imports;
using Harness.Runs;

namespace Harness.Commands;

/// <summary>Settings of the commands that work on a run directory.</summary>
public class RunDirectorySettings : PluginDirectorySettings
{
    [CommandArgument(0, "<run-dir>"), Description("The run directory, or another trainer's run (TRL, verl) or completions file.")] public string RunDirectory { get; init; } = "";
    [CommandOption("--format <FORMAT>"), Description("harness, trl, verl or completions (default: told by content).")] public string? Format { get; init; }
    [CommandOption("--pass-metric <NAME>"), Description("The series that is pass@1 on the hard held-out set, by its name in the run.")] public string? PassMetric { get; init; }

    /// <summary>The run, read once, and the plugin catalog of the folders its config and <c>--plugins</c> name.</summary>
    public (LoadedRun Run, PluginCatalog Catalog) Read(PluginCatalogProvider catalogs)
    {
        var format = Format is null ? (RunFormat?)null : VariantName.Parse<RunFormat>(Format, "--format");
        var run = RunImport.Open(RunDirectory, new ImportOptions(format, PassMetric));
        return (run, catalogs.Scan((run.Config?.PluginDirectories ?? []).Concat(Directories)));
    }
}
