using System.ComponentModel;
using Harness.Experiments;
using Harness.Hosting;
using Harness.Plugins;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Commands;

/// <summary><c>harness check &lt;experiment.json&gt; [--set key=value]...</c>: validates a config and resolves its plugins.</summary>
public sealed class CheckCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<CheckCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<experiment>")]
        [Description("The experiment's JSON file.")]
        public string Experiment { get; init; } = "";

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config value, e.g. grpo.groupSize=16 (repeatable).")]
        public string[] Overrides { get; init; } = [];

        [CommandOption("--plugins <DIR>")]
        [Description("Also search this plugin directory (repeatable).")]
        public string[] Directories { get; init; } = [];
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = ExperimentLoader.Load(settings.Experiment, settings.Overrides);
        var catalog = catalogs.Scan(config.PluginDirectories.Concat(settings.Directories));
        var plugins = ExperimentPlugins.Resolve(config, catalog);
        var table = new Table().Border(TableBorder.Simple).AddColumns("kind", "name", "version", "SHA-256");
        foreach (var p in plugins.Used)
            table.AddRow(PluginKinds.Label(p.Kind), Markup.Escape(p.Name), Markup.Escape(p.Version), p.Sha256);
        terminal.Console.Write(table);
        terminal.Console.MarkupLineInterpolated($"[green]ok:[/] {settings.Experiment} is valid; all {plugins.Used.Count} plugins resolved.");
        return 0;
    }
}
