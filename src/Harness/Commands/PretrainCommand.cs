using System.ComponentModel;
using System.Globalization;
using Harness.Core;
using Harness.Experiments;
using Harness.Pretraining;
using Harness.Sessions;

namespace Harness.Commands;

/// <summary><c>harness pretrain &lt;recipe.json&gt; [--steps N] [--out FILE] [--set key=value]...</c>: builds a base model.</summary>
public sealed class PretrainCommand(Terminal terminal, ExperimentRunner runner, StopRequest stop) : Command<PretrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<recipe>"), Description("The pretraining recipe's JSON file.")] public string Recipe { get; init; } = "";
        [CommandOption("--steps <N>"), Description("Steps of the main stage (overrides training.steps).")] public int? Steps { get; init; }
        [CommandOption("--out <FILE>"), Description("Where to write the weights (overrides output).")] public string? Out { get; init; }
        [CommandOption("--set <KEY=VALUE>"), Description("Override a recipe value, e.g. corpus.recheck=0.1 (repeatable).")] public string[] Overrides { get; init; } = [];
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var overrides = settings.Overrides.ToList();
        if (settings.Steps is { } steps) overrides.Add($"training.steps={steps}");
        if (settings.Out is { } output) overrides.Add($"output={output}");
        var recipe = ExperimentLoader.Load(settings.Recipe, overrides, new PretrainRecipeValidator(), "pretraining recipe");
        var columns = new ProgressColumn[] { new("loss", "loss", "F4"), new("lr", "learning_rate", "G3"), new("tok/s", "tokens_per_s", "F0") };
        var result = runner.Pretrain(recipe, new RunProgress(terminal, columns), stop);
        var table = new Table().Border(TableBorder.Simple).AddColumns("base model", "");
        foreach (var (name, value) in result.Evaluation)
            table.AddRow(Markup.Escape(name), value.ToString("F3", CultureInfo.InvariantCulture));
        terminal.Console.Write(table);
        terminal.Console.MarkupLineInterpolated($"[green]done:[/] {result.Weights} (report {result.Report})");
        return 0;
    }
}
