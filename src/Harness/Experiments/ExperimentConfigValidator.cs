using Harness.Grpo;
using Microsoft.Extensions.Options;

namespace Harness.Experiments;

/// <summary>Checks an experiment config; each failure names the field by its path in the JSON file.</summary>
public sealed class ExperimentConfigValidator : IValidateOptions<ExperimentConfig>
{
    public ValidateOptionsResult Validate(string? name, ExperimentConfig config)
    {
        var failures = new List<string>();
        if (config.Seed < 0) failures.Add($"seed must be 0 or more (got {config.Seed})");
        if (config.Policy is null || string.IsNullOrWhiteSpace(config.Policy.Name)) failures.Add("policy.name is required");
        if (config.Rewards.Count == 0) failures.Add("rewards must name at least one reward plugin");
        for (var i = 0; i < config.Rewards.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(config.Rewards[i].Name)) failures.Add($"rewards[{i}].name is required");
            if (!double.IsFinite(config.Rewards[i].Weight)) failures.Add($"rewards[{i}].weight must be a finite number (got {config.Rewards[i].Weight})");
        }
        RequireNames(failures, "detectors", config.Detectors);
        RequireNames(failures, "fixes", config.Fixes);
        if (config.Grpo.GroupSize < 2) failures.Add($"grpo.groupSize must be at least 2 (got {config.Grpo.GroupSize})");
        Variant<AdvantageScale>(failures, "grpo.advantageScale", config.Grpo.AdvantageScale);
        Variant<StdKind>(failures, "grpo.std", config.Grpo.Std);
        Variant<LossAggregation>(failures, "grpo.lossAggregation", config.Grpo.LossAggregation);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireNames(List<string> failures, string field, IReadOnlyList<PluginReference> references)
    {
        for (var i = 0; i < references.Count; i++)
            if (string.IsNullOrWhiteSpace(references[i].Name)) failures.Add($"{field}[{i}].name is required");
    }

    private static void Variant<TEnum>(List<string> failures, string field, string value) where TEnum : struct, Enum
    {
        try { VariantName.Parse<TEnum>(value, field); }
        catch (HarnessException e) { failures.Add(e.Message.TrimEnd('.')); }
    }
}
