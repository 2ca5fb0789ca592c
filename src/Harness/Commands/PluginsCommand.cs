using System.ComponentModel;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Core;

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

    public static string ToJson(PluginCatalog catalog) => JsonSerializer.Serialize(new CatalogJson(ContractVersion.Current, ContractVersion.AcceptedRange,
        catalog.Directories, catalog.Plugins.Select(p => new PluginJson(PluginKinds.Label(p.Kind), p.Name, p.Description, p.AssemblyName, p.Version,
            p.ContractVersion, p.File, p.Sha256)), catalog.Warnings), JsonOutput.Options);

    private sealed record CatalogJson(string Contract, string Accepts, IReadOnlyList<string> Directories, IEnumerable<PluginJson> Plugins, IReadOnlyList<string> Warnings);

    private sealed record PluginJson(string Kind, string Name, string Description, string Assembly, string Version, string Contract, string File, string Sha256);

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
