using System.ComponentModel;
using Harness.Abstractions;
using Harness.Answers;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Runs;
using Harness.Sessions;
using Harness.Tasks;

namespace Harness.Commands;

/// <summary>
/// <c>harness scan &lt;run-or-completions&gt;... [--detectors a,b] [--rewards a,b] [--out DIR]</c>: runs detectors (and rewards,
/// where the completions carry their gold answer) over another trainer's completions and writes a run directory
/// that detect, doctor and report read as any run.
/// </summary>
public sealed class ScanCommand(Terminal terminal, PluginCatalogProvider catalogs, StopRequest stop) : Command<ScanCommand.Settings>
{
    public sealed class Settings : PluginDirectorySettings
    {
        [CommandArgument(0, "<runs>"), Description("Runs or completion files to scan (TRL, verl, completions JSON Lines); metrics come from the first that has them.")] public string[] Inputs { get; init; } = [];
        [CommandOption("--detectors <NAMES>"), Description("Comma-separated detectors (default: every detector found).")] public string? Detectors { get; init; }
        [CommandOption("--rewards <NAMES>"), Description("Comma-separated rewards, run where completions have a gold answer (default: accuracy,format).")] public string Rewards { get; init; } = ScanPlugins.DefaultRewards;
        [CommandOption("--out <DIR>"), Description("The run directory to write (default: runs/scan-<name>-<time>).")] public string? Out { get; init; }
        [CommandOption("--format <FORMAT>"), Description("trl, verl, openrlhf or completions (default: told by content).")] public string? Format { get; init; }
        [CommandOption("--pass-metric <NAME>"), Description("The series that is pass@1 on the hard held-out set, by its name in the run.")] public string? PassMetric { get; init; }
        [CommandOption("--answer-format <FORMAT>"), Description("Where completions write their final answer: tags, boxed, gsm8k, answer-is, last-number, choice or auto (default auto).")]
        public string AnswerFormat { get; init; } = "auto";
        [CommandOption("--tasks <FILE>"), Description("A task file (any layout tasks.file reads) whose gold answers go to completions logged without one, by prompt: the same text, or the task's prompt inside the logged one.")]
        public string? Tasks { get; init; }

        [CommandOption("--lanes <N>"), Description("Threads scanning at once, each with its own plugin instances (default: one per core; 1 for a plugin that keeps state between calls).")] public int? Lanes { get; init; }

        public override ValidationResult Validate() =>
            Inputs.Length == 0 ? ValidationResult.Error("Name at least one run or completions file to scan.")
            : Lanes is < 1 ? ValidationResult.Error($"--lanes must be at least 1, not {Lanes}.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var reader = new CompletionReader(VariantName.Parse<AnswerFormat>(settings.AnswerFormat, "--answer-format"), ThinkLayout.Optional);
        var sources = settings.Inputs.Select(p => RunReader.Import(p, settings.Format, settings.PassMetric)).ToArray();
        if (!sources.Any(s => s.HasCompletions))
            throw new HarnessException($"{string.Join(", ", settings.Inputs)}: no completions to scan (a verl run needs its rollout dumps, trainer.rollout_data_dir).");
        var golds = settings.Tasks is { } tasks ? new PromptGolds(TaskFile.Load(tasks)) : null;
        var source = new LoadedRun(sources[0].Name, sources[0].Source, sources.FirstOrDefault(s => s.Metrics.Steps.Count > 0)?.Metrics ?? sources[0].Metrics,
            () => sources.SelectMany(s => s.Completions()).Select(c => c.Gold is null && golds?.For(c.Prompt) is { } gold ? c with { Gold = gold } : c));
        var plugins = ScanPlugins.Open(catalogs.Scan(settings.Directories), settings.Detectors is { } named ? Names(named) : null, Names(settings.Rewards), reader, settings.Lanes);
        var result = CompletionScan.Write(source, plugins, settings.Out ?? Path.Combine("runs", $"scan-{source.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"),
            new RunProgress(terminal, []), stop);
        terminal.Console.MarkupLineInterpolated($"[green]done:[/] {result.Run.Root} ({result.Completions} completions, {result.Steps} steps)");
        return 0;
    }

    private static string[] Names(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
