using System.ComponentModel;
using System.Text.Json;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Core;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Commands;

/// <summary>
/// <c>harness generate &lt;model-dir&gt; --prompt TEXT [--max-new-tokens N] [--greedy] [--json]</c>: a quick look at a
/// policy: a Hugging Face folder (a run's checkpoint, an export, a pretrained base) through hf-causal-lm, or any policy
/// plugin with <c>--policy</c>. With <c>--json</c>: the text, each token's id and string, and its log-probability.
/// </summary>
public sealed class GenerateCommand(Terminal terminal, PluginCatalogProvider catalogs) : Command<GenerateCommand.Settings>
{
    public sealed class Settings : PluginDirectorySettings
    {
        [CommandArgument(0, "<model-dir>"), Description("The model: a Hugging Face folder (config.json, safetensors, tokenizer.json).")] public string Model { get; init; } = "";
        [CommandOption("--prompt <TEXT>"), Description("The prompt (the policy's template is applied).")] public string Prompt { get; init; } = "";
        [CommandOption("--max-new-tokens <N>"), Description("The most tokens to generate (default 128).")] public int MaxNewTokens { get; init; } = 128;
        [CommandOption("--greedy"), Description("Always take the most likely token.")] public bool Greedy { get; init; }
        [CommandOption("--temperature <T>"), Description("Sampling temperature (default 1).")] public double Temperature { get; init; } = 1;
        [CommandOption("--top-p <P>"), Description("Nucleus sampling mass (default 1: off).")] public double TopP { get; init; } = 1;
        [CommandOption("--seed <N>"), Description("Sampling seed (default 1).")] public long Seed { get; init; } = 1;
        [CommandOption("--policy <NAME>"), Description("The policy plugin (default hf-causal-lm, given the folder as its model setting).")] public string Policy { get; init; } = "hf-causal-lm";
        [CommandOption("--set <KEY=VALUE>"), Description("A policy setting, e.g. template=chatml or dtype=bfloat16 (repeatable).")] public string[] PolicySettings { get; init; } = [];
        [CommandOption("--json"), Description("Print JSON: text, token ids, token strings and each token's log-probability.")] public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Prompt.Length == 0 ? ValidationResult.Error("--prompt is required.")
            : MaxNewTokens <= 0 ? ValidationResult.Error($"--max-new-tokens must be positive, got {MaxNewTokens}.")
            : !Greedy && !(Temperature > 0) ? ValidationResult.Error($"--temperature must be positive (or use --greedy), got {Temperature}.")
            : !(TopP > 0 && TopP <= 1) ? ValidationResult.Error($"--top-p must be in (0, 1], got {TopP}.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Scan(settings.Directories);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["model"] = Path.GetFullPath(settings.Model) };
        foreach (var pair in settings.PolicySettings)
        {
            var at = pair.IndexOf('=');
            if (at <= 0) throw new HarnessException($"--set '{pair}' is not KEY=VALUE.");
            values[pair[..at]] = pair[(at + 1)..];
        }
        var policy = catalog.Create<IPolicy>(PluginKind.Policy, settings.Policy, values);
        var request = new SamplingRequest([settings.Prompt], 1, settings.MaxNewTokens, settings.Greedy ? 0 : settings.Temperature, settings.TopP, settings.Seed);
        var completion = PolicyCalls.Sample(policy, settings.Policy, request, "in generate")[0][0];
        float[]? logProbs = null;
        if (policy is ITrainablePolicy trainable && completion.Tokens.Count > 0)
            using (no_grad())
            {
                trainable.Model.eval();
                var scores = PolicyCalls.Score(trainable, settings.Policy, new ScoringRequest([settings.Prompt], [completion.Tokens]), "in generate");
                logProbs = scores.LogProbs[0].to_type(ScalarType.Float32).cpu().data<float>().ToArray();
            }
        if (!settings.Json)
        {
            terminal.Out.WriteLine(completion.Text);
            terminal.Console.MarkupLineInterpolated($"[grey]{completion.TokenCount} tokens{(completion.Truncated ? ", stopped at the limit" : "")}{(logProbs is null ? "" : $", mean log-prob {logProbs.Average():F3}")}[/]");
            return 0;
        }
        terminal.Out.WriteLine(JsonSerializer.Serialize(new
        {
            text = completion.Text,
            truncated = completion.Truncated,
            tokens = completion.Tokens.Select((id, i) => new
            {
                id,
                token = i < completion.TokenStrings.Count ? completion.TokenStrings[i] : null,
                logprob = logProbs is null ? (double?)null : Math.Round(logProbs[i], 6),
            }),
        }, JsonOutput.Options));
        return 0;
    }
}
