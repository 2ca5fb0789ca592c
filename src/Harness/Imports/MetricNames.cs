namespace Harness.Imports;

/// <summary>
/// The one table of other trainers' metric names and ours: what an imported series is called in this harness, so the
/// aha detector, the doctor and the report read a TRL or verl run as they read ours. A key no rule maps keeps its own
/// name, so any series can still be named (e.g. with <c>--pass-metric</c>).
/// </summary>
/// <remarks>
/// Sources: TRL trl/trainer/grpo_trainer.py (metrics logged per step; v0.14's <c>completion_length</c> and
/// <c>rewards/&lt;func&gt;</c>, v0.17+'s <c>completions/*</c> and <c>rewards/&lt;func&gt;/mean</c>); verl
/// verl/trainer/ppo/metric_utils.py (<c>compute_data_metrics</c>, <c>compute_timing_metrics</c>) and the actor's
/// update metrics (<c>actor/*</c>); OpenRLHF openrlhf/trainer/ppo_trainer.py and trainer/ray/ppo_actor.py (the status
/// dict logged as <c>train/&lt;key&gt;</c>, read here without the prefix).
/// </remarks>
public static class MetricNames
{
    /// <summary>One mapping: a trainer's key (with <c>{name}</c> for a reward function's name) and ours.</summary>
    public sealed record Rule(string Trainer, string Theirs, string Ours);

    public const string Trl = "TRL";
    public const string Verl = "verl";
    public const string OpenRlhf = "OpenRLHF";

    public static IReadOnlyList<Rule> All { get; } =
    [
        new(Trl, "completions/mean_length", "completion_length_mean"),
        new(Trl, "completions/min_length", "completion_length_min"),
        new(Trl, "completions/max_length", "completion_length_max"),
        new(Trl, "completions/clipped_ratio", "clipped_ratio"),
        new(Trl, "completion_length", "completion_length_mean"),
        new(Trl, "reward", "reward_mean"),
        new(Trl, "reward_std", "reward_std"),
        new(Trl, "rewards/{name}/mean", "reward/{name}_mean"),
        new(Trl, "rewards/{name}/std", "reward/{name}_std"),
        new(Trl, "rewards/{name}", "reward/{name}_mean"),
        new(Trl, "frac_reward_zero_std", "frac_reward_zero_std"),
        new(Trl, "entropy", "entropy"),
        new(Trl, "kl", "kl"),
        new(Trl, "clip_ratio/region_mean", "clip_fraction"),
        new(Trl, "loss", "loss"),
        new(Trl, "grad_norm", "grad_norm"),
        new(Trl, "learning_rate", "learning_rate"),
        new(Trl, "step_time", "step_time_s"),
        new(Verl, "response_length/mean", "completion_length_mean"),
        new(Verl, "response_length/min", "completion_length_min"),
        new(Verl, "response_length/max", "completion_length_max"),
        new(Verl, "response_length/clip_ratio", "clipped_ratio"),
        new(Verl, "critic/score/mean", "reward_mean"),
        new(Verl, "actor/entropy", "entropy"),
        new(Verl, "actor/pg_clipfrac", "clip_fraction"),
        new(Verl, "actor/ppo_kl", "kl"),
        new(Verl, "actor/pg_loss", "loss"),
        new(Verl, "actor/grad_norm", "grad_norm"),
        new(Verl, "actor/lr", "learning_rate"),
        new(Verl, "timing_s/step", "step_time_s"),
        new(OpenRlhf, "response_length", "completion_length_mean"),
        new(OpenRlhf, "rollout/response_length_mean", "completion_length_mean"),
        new(OpenRlhf, "response_clip_ratio", "clipped_ratio"),
        new(OpenRlhf, "reward", "reward_mean"),
        new(OpenRlhf, "rollout/reward_mean", "reward_mean"),
        new(OpenRlhf, "rollout/reward_std", "reward_std"),
        new(OpenRlhf, "kl", "kl"),
        new(OpenRlhf, "ppo_clip_ratio", "clip_fraction"),
        new(OpenRlhf, "policy_loss", "loss"),
        new(OpenRlhf, "actor_grad_norm", "grad_norm"),
        new(OpenRlhf, "actor_lr", "learning_rate"),
        new(OpenRlhf, "timing/step_total", "step_time_s"),
    ];

    /// <summary>Our name for a trainer's key; the key itself when no rule maps it.</summary>
    public static string Ours(string trainer, string key)
    {
        foreach (var rule in All)
        {
            if (rule.Trainer != trainer) continue;
            if (rule.Theirs == key) return rule.Ours;
            var hole = rule.Theirs.IndexOf("{name}", StringComparison.Ordinal);
            if (hole < 0) continue;
            var (prefix, suffix) = (rule.Theirs[..hole], rule.Theirs[(hole + "{name}".Length)..]);
            if (key.Length > prefix.Length + suffix.Length && key.StartsWith(prefix, StringComparison.Ordinal) && key.EndsWith(suffix, StringComparison.Ordinal))
            {
                var name = key[prefix.Length..^suffix.Length];
                if (!name.Contains('/')) return rule.Ours.Replace("{name}", name, StringComparison.Ordinal);
            }
        }
        return key;
    }
}
