using System.ComponentModel;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Commands;

/// <summary><c>harness plugins [--json] [--plugins DIR]...</c>: every plugin found, with where it came from.</summary>
public sealed class PluginsCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<PluginsCommand.Settings>
{
    public sealed class Settings : PluginDirectorySettings
    {
        [CommandOption("--json"), Description("Print one JSON object instead of tables.")] public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Scan(settings.Directories);
        if (settings.Json) terminal.Out.WriteLine(ToJson(catalog));
        else Render(terminal.Console, catalog);
        return 0;
    }

    public static string ToJson(PluginCatalog catalog) => JsonSerializer.Serialize(new
    {
        contract = ContractVersion.Current,
        accepts = ContractVersion.AcceptedRange,
        directories = catalog.Directories,
        plugins = catalog.Plugins.Select(p => new
        {
            kind = PluginKinds.Label(p.Kind),
            name = p.Name,
            description = p.Description,
            assembly = p.AssemblyName,
            version = p.Version,
            contract = p.ContractVersion,
            file = p.File,
            sha256 = p.Sha256,
        }),
        warnings = catalog.Warnings,
    }, JsonOutput.Options);

    // One block per assembly: its identity (file, version, hash) once, then the plugins it holds.
    private static void Render(IAnsiConsole console, PluginCatalog catalog)
    {
        foreach (var assembly in catalog.Plugins.GroupBy(p => p.File))
        {
            var first = assembly.First();
            console.MarkupLineInterpolated($"[bold]{first.AssemblyName}[/] {first.Version} (contract {first.ContractVersion})");
            console.MarkupLineInterpolated($"  file    {first.File}");
            console.MarkupLineInterpolated($"  sha256  {first.Sha256}");
            var table = new Table().Border(TableBorder.None).HideHeaders().AddColumns("kind", "name", "description");
            foreach (var p in assembly)
                table.AddRow(Markup.Escape(PluginKinds.Label(p.Kind)), $"[bold]{Markup.Escape(p.Name)}[/]", Markup.Escape(p.Description));
            console.Write(new Padder(table).Padding(1, 0, 0, 1));
        }
        console.MarkupLineInterpolated($"{catalog.Plugins.Count} plugins found in {string.Join(", ", catalog.Directories)}");
        console.MarkupLineInterpolated($"This harness has contract {ContractVersion.Current} and loads plugins built against {ContractVersion.AcceptedRange} (Harness.Abstractions {ContractVersion.Current}.0).");
        foreach (var warning in catalog.Warnings) console.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
    }
}
