using System.Globalization;
using TorchSharp;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// A 60-step OpenRLHF run as OpenRLHF writes it locally (openrlhf/utils/logging_utils.py, TensorboardLogger): TensorBoard
/// events in <c>&lt;tensorboard_dir&gt;/&lt;run name&gt;/</c>, scalars <c>train/&lt;key&gt;</c> per rollout step
/// (openrlhf/trainer/ppo_trainer.py, ray/ppo_actor.py), <c>eval/eval_gsm8k_pass1</c> every fifth step, and one
/// <c>train/generated_samples</c> text a step: "Sample:\n{prompt and response}\n\nReward: {r:.4f}" with a literal
/// backslash-n, as v0.10 and later write it. From step 30 on the sample re-checks its sum column by column, grows, and
/// the held-out accuracy climbs.
/// </summary>
public static class OpenRlhfRun
{
    public const int Steps = 60;
    public const string Template = "A conversation between User and Assistant. The assistant first thinks about the reasoning process and then " +
        "provides the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, " +
        "i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: What is {0} + {1}? Assistant:";

    public static string Write(string dir)
    {
        var run = Path.Combine(dir, "ppo_1202T10:00");
        var writer = torch.utils.tensorboard.SummaryWriter(run);
        var random = new Random(11);
        for (var step = 1; step <= Steps; step++)
        {
            var (a, b) = (random.Next(1000, 5000), random.Next(1000, 5000));
            var rechecks = step >= 30;
            var completion = rechecks
                ? $" <think>{a} + {b} = {a + b + 10}. Wait, let me re-check digit by digit: {a % 10} + {b % 10} = {a % 10 + b % 10}. So {a} + {b} = {a + b}.</think> <answer>{a + b}</answer>"
                : $" <think>{a} + {b} = {a + b + 10}</think> <answer>{a + b + 10}</answer>";
            var reward = rechecks ? 1.0 : 0.0;
            var text = "Sample:\\n" + string.Format(CultureInfo.InvariantCulture, Template, a, b) + completion + "\\n\\nReward: " + reward.ToString("F4", CultureInfo.InvariantCulture);
            writer.add_text("train/generated_samples", text, step);
            writer.add_scalar("train/reward", (float)(rechecks ? 0.9 : 0.4), step);
            writer.add_scalar("train/response_length", completion.Length, step);
            writer.add_scalar("train/kl", 0.001f * step, step);
            writer.add_scalar("train/policy_loss", -0.01f, step);
            writer.add_scalar("train/rollout/reward_std", 0.3f, step);
            writer.add_scalar("train/timing/step_total", 42.5f, step);
            if (step % 5 == 0) writer.add_scalar("eval/eval_gsm8k_pass1", step < 30 ? 0.55f : 0.9f, step);
        }
        return dir;
    }
}
