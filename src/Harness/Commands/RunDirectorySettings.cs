using System.ComponentModel;
using Harness.Catalog;
using Harness.Runs;

namespace Harness.Commands;

/// <summary>Settings of the commands that work on a run directory.</summary>
public class RunDirectorySettings : PluginDirectorySettings
{
    [CommandArgument(0, "<run-dir>"), Description("The run directory.")] public string RunDirectory { get; init; } = "";

    /// <summary>The run, read once, and the plugin catalog of the folders its config and <c>--plugins</c> name.</summary>
    public (LoadedRun Run, PluginCatalog Catalog) Read(PluginCatalogProvider catalogs)
    {
        var run = LoadedRun.Open(RunDirectory);
        return (run, catalogs.Scan((run.Config?.PluginDirectories ?? []).Concat(Directories)));
    }
}
