using System.ComponentModel;
using Harness.Experiments;
using Harness.Hosting;
using Harness.Plugins;
using Harness.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Harness.Commands;

/// <summary><c>harness run &lt;experiment.json&gt; [--steps N] [--out DIR] [--device D] [--set key=value]... [--locked manifest.json]</c></summary>
public sealed class RunCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<experiment>")]
        [Description("The experiment's JSON file.")]
        public string Experiment { get; init; } = "";

        [CommandOption("--steps <N>")]
        [Description("Number of GRPO steps (overrides run.steps).")]
        public int? Steps { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("The run directory to create (default: runs/<name>-<time>).")]
        public string? Out { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("auto, cpu or cuda (overrides device).")]
        public string? Device { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config value, e.g. grpo.beta=0.04 (repeatable).")]
        public string[] Overrides { get; init; } = [];

        [CommandOption("--plugins <DIR>")]
        [Description("Also search this plugin directory (repeatable).")]
        public string[] Directories { get; init; } = [];

        [CommandOption("--locked <MANIFEST>")]
        [Description("Refuse to run unless every plugin is the file this manifest.json records (same SHA-256).")]
        public string? Locked { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var overrides = settings.Overrides.ToList();
        if (settings.Steps is { } steps) overrides.Add($"run.steps={steps}");
        if (settings.Device is { } device) overrides.Add($"device={device}");
        var run = Start(terminal, catalogs, settings.Experiment, overrides, settings.Directories, settings.Out, settings.Locked, cancellationToken);
        terminal.Console.MarkupLineInterpolated($"[green]done:[/] {run.Root}");
        return 0;
    }

    /// <summary>Loads an experiment with its overrides and runs it with a progress bar (also what <c>harness regress</c> runs).</summary>
    public static RunDirectory Start(Terminal terminal, PluginCatalogProvider catalogs, string experiment, IEnumerable<string> overrides,
        IEnumerable<string> pluginDirectories, string? outDir, string? locked, CancellationToken cancellationToken)
    {
        var config = ExperimentLoader.Load(experiment, overrides);
        config.PluginDirectories.AddRange(pluginDirectories.Select(Path.GetFullPath));
        var name = string.IsNullOrWhiteSpace(config.Name) ? Path.GetFileNameWithoutExtension(experiment) : config.Name;
        var catalog = catalogs.Scan(config.PluginDirectories);
        return RunSession.Start(config, outDir ?? Path.Combine("runs", $"{name}-{DateTime.Now:yyyyMMdd-HHmmss}"), catalog,
            new RunProgress(terminal, RunProgress.Grpo), cancellationToken, locked);
    }
}
