using System.Globalization;
using System.Text.Json;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// A 60-step verl run written as verl writes it: the file logger's <c>{"step": N, "data": {...}}</c> lines
/// (verl/utils/tracking.py) and <c>rollouts/&lt;step&gt;.jsonl</c> dumps (verl/trainer/ppo/ray_trainer.py: input,
/// output, gts, score, step). Before step 25 one completion in sixteen re-checks its sum; from 25 to 40 the share
/// climbs to fifteen in sixteen, and completions grow. In an aha run the re-checks recompute the sum column by
/// column and the held-out accuracy climbs with them; in a ritual run they restate the first guess and it stays flat.
/// </summary>
public static class VerlRun
{
    public const int Steps = 60;
    private const int PerStep = 16;

    public static string Write(string dir, bool aha)
    {
        Directory.CreateDirectory(Path.Combine(dir, "rollouts"));
        var log = new List<string>();
        var random = new Random(7);
        for (var step = 1; step <= Steps; step++)
        {
            var share = step < 25 ? 1 : step >= 40 ? 15 : 1 + (int)Math.Round(14.0 * (step - 25) / 15);
            var lines = Enumerable.Range(0, PerStep).Select(i =>
            {
                var (a, b) = (random.Next(1000, 5000), random.Next(1000, 5000));
                var guess = a + b + (i % 2 == 0 ? 0 : 10);
                var text = i >= share ? $"<think>{a} + {b} = {guess}</think><answer>{guess}</answer>"
                    : aha ? Recheck(a, b, guess) : $"<think>{a} + {b} = {guess}. Wait, let me re-check. {a} + {b} = {guess}. Yes, {guess}.</think><answer>{guess}</answer>";
                var answer = text[(text.LastIndexOf("<answer>", StringComparison.Ordinal) + 8)..text.LastIndexOf("</answer>", StringComparison.Ordinal)];
                var score = answer == (a + b).ToString(CultureInfo.InvariantCulture) ? 1.0 : 0.0;
                return (Json: JsonSerializer.Serialize(new Dictionary<string, object> { ["input"] = $"What is {a} + {b}?", ["output"] = text, ["gts"] = $"{a + b}", ["score"] = score, ["step"] = step }),
                    Length: text.Length, Score: score);
            }).ToArray();
            File.WriteAllLines(Path.Combine(dir, "rollouts", $"{step}.jsonl"), lines.Select(l => l.Json));
            var data = new Dictionary<string, double>
            {
                ["training/global_step"] = step,
                ["response_length/mean"] = lines.Average(l => l.Length),
                ["critic/score/mean"] = lines.Average(l => l.Score),
                ["actor/entropy"] = 0.5,
            };
            if (step % 5 == 1)
                data["val-core/synthetic/acc/mean@1"] = aha ? (step < 25 ? 0.55 : Math.Min(0.9, 0.55 + 0.35 * (step - 25) / 15.0)) : 0.55 + 0.001 * (step % 3);
            log.Add(JsonSerializer.Serialize(new { step, data }));
        }
        File.WriteAllLines(Path.Combine(dir, "synthetic-grpo.jsonl"), log);
        return dir;
    }

    /// <summary>A re-check that redoes the sum from the right, column by column, and answers from it.</summary>
    private static string Recheck(int a, int b, int guess)
    {
        var (x, y) = (a.ToString(CultureInfo.InvariantCulture), b.ToString(CultureInfo.InvariantCulture));
        var columns = new List<string>();
        var carry = 0;
        for (var i = 3; i >= 0; i--)
        {
            var sum = (x[i] - '0') + (y[i] - '0') + carry;
            columns.Add($"{x[i]}+{y[i]}+{carry}={sum}");
            carry = sum / 10;
        }
        return $"<think>{a} + {b} = {guess}. Wait, let me re-check. {string.Join(", ", columns)}. So {a + b}.</think><answer>{a + b}</answer>";
    }
}
