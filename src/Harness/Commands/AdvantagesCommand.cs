using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Harness.Core;
using Harness.Grpo;

namespace Harness.Commands;

/// <summary>
/// <c>harness advantages --rewards … --lengths … --shapes … [--estimator E] [--std population|sample] [--scale group|batch|none] [--json]</c>:
/// the seed's walkthrough for any one group, and every advantage estimator on it.
/// </summary>
public sealed class AdvantagesCommand(Terminal terminal) : Command<AdvantagesCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--rewards <LIST>"), Description("Comma-separated reward of each completion, e.g. 1.1,0.1,1.1,0.1.")] public string Rewards { get; init; } = "";
        [CommandOption("--lengths <LIST>"), Description("Comma-separated token count of each completion, e.g. 92,78,14,10.")] public string Lengths { get; init; } = "";
        [CommandOption("--shapes <LIST>"), Description("Comma-separated response shape of each completion, e.g. self-verify,single-pass.")] public string Shapes { get; init; } = "";
        [CommandOption("--std <KIND>"), Description("population (default) or sample.")] public string Std { get; init; } = "population";
        [CommandOption("--scale <SCALE>"), Description("group (default), batch or none (Dr. GRPO).")] public string Scale { get; init; } = "group";
        [CommandOption("--estimator <NAME>"), Description("The estimator the walkthrough uses: grpo (default), rloo or reinforce-plus-plus-baseline.")] public string Estimator { get; init; } = "grpo";
        [CommandOption("--norm-length <L>"), Description("Length L of seq-mean-token-sum-norm; default: the longest completion.")] public int? NormLength { get; init; }
        [CommandOption("--json"), Description("Print one JSON object instead of tables.")] public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            foreach (var (option, value) in new[] { ("--rewards", Rewards), ("--lengths", Lengths), ("--shapes", Shapes) })
                if (string.IsNullOrWhiteSpace(value)) return ValidationResult.Error($"{option} is required.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new AdvantageOptions(
            VariantName.Parse<AdvantageScale>(settings.Scale, "--scale"),
            VariantName.Parse<StdKind>(settings.Std, "--std"),
            VariantName.Parse<AdvantageEstimator>(settings.Estimator, "--estimator"));
        var report = GradientWalkthrough.Build(
            ParseList(settings.Rewards, "--rewards", ParseReward),
            ParseList(settings.Lengths, "--lengths", ParseLength),
            ParseList(settings.Shapes, "--shapes", s => s),
            options,
            settings.NormLength);
        if (settings.Json) terminal.Out.WriteLine(ToJson(report));
        else Render(terminal.Console, report, options);
        return 0;
    }

    /// <summary>The <c>--json</c> form; numbers are rounded to 10 decimals so float noise (0.6000000000000001) does not show.</summary>
    public static string ToJson(GradientWalkthrough report) => JsonSerializer.Serialize(new
    {
        mean = Round(report.Mean),
        std = Round(report.Std),
        advantages = report.Rows.Select(r => Round(r.Advantage)),
        mass = report.Rows.Select(r => Round(r.Mass)),
        net_mass = report.NetMass.ToDictionary(kv => kv.Key, kv => Round(kv.Value)),
        ratio = report.Ratio is { } ratio ? Round(ratio) : (double?)null,
        aggregation = report.Aggregation.ToDictionary(
            m => m.Key, m => m.Value.ToDictionary(kv => kv.Key, kv => Round(kv.Value))),
        estimators = report.Estimators.ToDictionary(e => e.Key, e => e.Value.Select(Round)),
    }, JsonOutput.Options);

    public static void Render(IAnsiConsole console, GradientWalkthrough report, AdvantageOptions options)
    {
        if (options.Estimator == AdvantageEstimator.Grpo)
            console.MarkupLineInterpolated($"One GRPO group: {VariantName.Of(options.Std)} std, {VariantName.Of(options.Scale)} scaling, ratio 1, β = 0");
        else console.MarkupLineInterpolated($"One group, {VariantName.Of(options.Estimator)} advantages, ratio 1, β = 0");
        var table = new Table().Border(TableBorder.Simple).AddColumns("i", "shape", "T", "r", "A", "abs(A)·T", "direction");
        foreach (var r in report.Rows)
            table.AddRow(r.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Shape), r.Tokens.ToString(CultureInfo.InvariantCulture),
                Number(r.Reward), Signed(r.Advantage), Number(r.Mass), r.Direction);
        console.Write(table);
        console.MarkupLineInterpolated($"group mean {Number(report.Mean)}, std {Number(report.Std)}");
        console.WriteLine();
        console.MarkupLine("Net signed mass Σ A·T per shape (a loss that sums over tokens):");
        foreach (var (shape, mass) in report.NetMass) console.MarkupLineInterpolated($"  {shape}: {Number(mass)}");
        console.MarkupLineInterpolated($"ratio of the largest to the next: {Ratio(report.Ratio)}");
        console.WriteLine();
        console.MarkupLineInterpolated($"Net signed gradient mass per shape under each loss aggregation (L = {report.NormLength}):");
        var shapes = report.NetMass.Keys.ToArray();
        var modes = new Table().Border(TableBorder.Simple).AddColumn("aggregation");
        foreach (var shape in shapes) modes.AddColumn(Markup.Escape(shape));
        modes.AddColumn("ratio");
        foreach (var (mode, masses) in report.Aggregation)
            modes.AddRow([mode, .. shapes.Select(s => Number(masses[s])), Ratio(GradientWalkthrough.RatioOfTopTwo(masses.Values))]);
        console.Write(modes);
        console.MarkupLine("seq-mean-token-mean averages each completion over its own tokens, which removes the length effect.");
        console.WriteLine();
        console.MarkupLine("Each advantage estimator on this group (rloo: the others' mean; reinforce-plus-plus-baseline: whitened over these tokens):");
        var estimators = new Table().Border(TableBorder.Simple).AddColumn("estimator");
        foreach (var r in report.Rows) estimators.AddColumn(r.Index.ToString(CultureInfo.InvariantCulture));
        estimators.AddColumn("sum");
        foreach (var (name, values) in report.Estimators)
            estimators.AddRow([name, .. values.Select(Signed), Number(values.Sum())]);
        console.Write(estimators);
    }

    // "+ 0.0" turns a negative zero into a positive one, so no "-0" is printed.
    private static double Round(double value) => Math.Round(value, 10) + 0.0;

    private static string Number(double value) => (Math.Round(value, 4) + 0.0).ToString("0.####", CultureInfo.InvariantCulture);

    private static string Signed(double value) => (Math.Round(value, 4) > 0 ? "+" : "") + Number(value);

    private static string Ratio(double? ratio) => ratio is { } r ? Number(r) : "n/a";

    private static double ParseReward(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException("is not a number");

    private static int ParseLength(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException("is not a positive whole number of tokens");

    private static T[] ParseList<T>(string text, string option, Func<string, T> parse) =>
        text.Split(',').Select((item, i) =>
        {
            try { return parse(item.Trim()); }
            catch (FormatException e) { throw new HarnessException($"{option}: item {i + 1} ('{item.Trim()}') {e.Message}."); }
        }).ToArray();
}
