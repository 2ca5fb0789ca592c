using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Sweeps;

namespace Harness.Commands;

/// <summary>
/// <c>harness sweep &lt;experiment-or-sweep.json&gt; [--vary key=a,b]... [--seeds N] [--parallel P] [--out DIR] [--json]</c>: the
/// grid of variants × seeds as ordinary run directories, then one comparison (summary.json, sweep.html, and a table or
/// JSON on stdout). Run again with the same arguments and --out, it skips what finished and goes on.
/// </summary>
public sealed class SweepCommand(Terminal terminal, PluginCatalogProvider catalogs, StopRequest stop) : Command<SweepCommand.Settings>
{
    public sealed class Settings : PluginDirectorySettings
    {
        [CommandArgument(0, "<experiment>"), Description("An experiment's JSON file, or a sweep file (experiments/sweeps/*.json) naming one with its variants.")] public string Experiment { get; init; } = "";
        [CommandOption("--vary <KEY=A,B>"), Description("Run each of these values of a config key, crossed with every other --vary (repeatable), e.g. grpo.policyLoss=vanilla,gspo.")] public string[] Vary { get; init; } = [];
        [CommandOption("--seeds <N>"), Description("Seeds per variant: the experiment's seed and the next N − 1 (default: the sweep file's, else 3).")] public int? Seeds { get; init; }
        [CommandOption("--set <KEY=VALUE>"), Description("Override a config value in every run (repeatable).")] public string[] Overrides { get; init; } = [];
        [CommandOption("--parallel <P>"), Description("Runs at a time; libtorch's threads are split between them (default 1).")] public int Parallel { get; init; } = 1;
        [CommandOption("--out <DIR>"), Description("The sweep's folder (default: runs/sweep-<name>-<time>); give an existing one to go on with it.")] public string? Out { get; init; }
        [CommandOption("--detector <NAME>"), Description("The series detector whose verdicts are counted (default: aha-moment).")] public string Detector { get; init; } = "aha-moment";
        [CommandOption("--alpha <P>"), Description("A difference is beyond seed noise when the permutation test's p is below this (default 0.05).")] public double Alpha { get; init; } = 0.05;
        [CommandOption("--json"), Description("Print the comparison as one JSON object (progress goes to stderr).")] public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Parallel < 1 ? ValidationResult.Error("--parallel must be at least 1.")
            : Seeds is < 1 ? ValidationResult.Error("--seeds must be at least 1.")
            : Alpha is not (> 0 and < 1) ? ValidationResult.Error("--alpha must be between 0 and 1.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = Plan(settings, out var name);
        var folder = Path.GetFullPath(settings.Out ?? Path.Combine("runs", $"sweep-{name}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        plan.WriteOrCheck(folder);
        var progress = settings.Json ? terminal.Error : terminal.Out;
        progress.WriteLine($"sweep: {plan.Variants.Count} variants × {plan.Seeds.Count} seeds = {plan.Runs.Count} runs in {folder}, {settings.Parallel} at a time");
        var scheduler = new SweepScheduler(folder, plan, settings.Parallel, [.. settings.Directories.Select(Path.GetFullPath)], progress.WriteLine);
        var outcome = scheduler.Run(stop);

        var catalog = catalogs.Scan(ExperimentLoader.Load(plan.Experiment, plan.Set).PluginDirectories.Concat(settings.Directories));
        var summary = SweepAnalysis.Summarize(folder, plan, catalog, settings.Detector, settings.Alpha);
        var json = JsonSerializer.Serialize(summary, JsonOutput.Options);
        AtomicText.Write(Path.Combine(folder, "summary.json"), json + "\n");
        AtomicText.Write(Path.Combine(folder, "sweep.html"), SweepPage.Render(summary));
        if (settings.Json) terminal.Out.WriteLine(json);
        else Render(summary);
        // The sweep's wall time against its runs' own, P at a time: what scheduling, stragglers and the comparison add.
        var overhead = outcome.RunSeconds > 0 ? $"; overhead over its runs {100 * (outcome.WallSeconds * settings.Parallel / outcome.RunSeconds - 1):F1} %" : "";
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sweep took {outcome.WallSeconds:F0} s, its {outcome.Ran} runs {outcome.RunSeconds:F0} s{overhead}; {Path.Combine(folder, "summary.json")}, {Path.Combine(folder, "sweep.html")}"));
        if (outcome.Failed.Count == 0) return 0;
        terminal.Error.WriteLine($"{outcome.Failed.Count} runs failed: {string.Join("; ", outcome.Failed)}. The comparison leaves them out; run the same command again to retry them.");
        return 1;
    }

    /// <summary>The plan from the arguments: a sweep file's variants or one base, crossed with --vary, each checked by loading it.</summary>
    private static SweepPlan Plan(Settings settings, out string name)
    {
        var path = Path.GetFullPath(settings.Experiment);
        if (!File.Exists(path)) throw new HarnessException($"No such file: {settings.Experiment}.");
        var file = SweepFile.TryLoad(path);
        var experiment = file?.Experiment ?? path;
        string[] set = [.. file?.Set ?? [], .. settings.Overrides];
        var variants = SweepPlan.Grid(file?.Variants ?? [], settings.Vary);
        var config = ExperimentLoader.Load(experiment, set);
        foreach (var variant in variants)
        {
            try { ExperimentLoader.Load(experiment, [.. set, .. variant.Set]); }
            catch (Exception e) when (e is HarnessException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                var why = e is Microsoft.Extensions.Options.OptionsValidationException o ? string.Join("; ", o.Failures) : e.Message;
                throw new HarnessException($"Variant '{variant.Name}': {why}", e);
            }
        }
        var seeds = settings.Seeds ?? file?.Seeds ?? 3;
        name = file is null ? config.Name : Path.GetFileNameWithoutExtension(path);
        return new SweepPlan(experiment, set, variants, [.. Enumerable.Range(0, seeds).Select(k => config.Seed + k)]);
    }

    private void Render(SweepSummary summary)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("variant", "finished", "verdicts", "aha step", "pass1_hard", "length", "length (incorrect)");
        foreach (var v in summary.Variants)
            table.AddRow(Markup.Escape(v.Name), $"{v.Finished}", Markup.Escape(string.Join(", ", v.Verdicts.Select(p => $"{p.Key} {p.Value}"))),
                Interval(v.AhaStep, "F0"), Interval(v.Final.GetValueOrDefault("pass1_hard"), "F2"),
                Interval(v.Final.GetValueOrDefault("completion_length_mean"), "F1"), Interval(v.Final.GetValueOrDefault("completion_length_incorrect_mean"), "F1"));
        terminal.Console.Write(table);
        var beyond = summary.Comparisons.Where(c => c.BeyondNoise).ToArray();
        if (summary.Comparisons.Count > 0)
            terminal.Console.MarkupLineInterpolated($"Beyond seed noise (p < {summary.Alpha}) against '{summary.Variants[0].Name}': {(beyond.Length == 0 ? "nothing" : string.Join("; ", beyond.Select(c => $"{c.Variant}: {c.Measure} {c.Difference:+0.###;-0.###} (p {c.PValue:0.###})")))}");
    }

    /// <summary>A mean and its interval as table markup (the brackets escaped).</summary>
    private static string Interval(Estimate? e, string format) => e is null ? "–" : Markup.Escape(e.Format(format));
}
