using Harness.Catalog;
using Harness.Experiments;

namespace Harness.Commands;

/// <summary><c>harness check &lt;experiment.json&gt; [--set key=value]... [--plugins DIR]...</c>: validates a config and resolves its plugins.</summary>
public sealed class CheckCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<ExperimentSettings>
{
    public override int Execute(CommandContext context, ExperimentSettings settings, CancellationToken cancellationToken)
    {
        var config = settings.Load();
        var plugins = ExperimentPlugins.Resolve(config, catalogs.Scan(config.PluginDirectories));
        var table = new Table().Border(TableBorder.Simple).AddColumns("kind", "name", "version", "SHA-256");
        foreach (var p in plugins.Used)
            table.AddRow(PluginKinds.Label(p.Kind), Markup.Escape(p.Name), Markup.Escape(p.Version), p.Sha256);
        terminal.Console.Write(table);
        terminal.Console.MarkupLineInterpolated($"[green]ok:[/] {settings.Experiment} is valid; all {plugins.Used.Count} plugins resolved.");
        return 0;
    }
}
