using System.Text.Json;
using Harness.Core;
using Harness.Experiments;

namespace Harness.Tasks;

/// <summary>
/// Tasks from a JSON Lines file: one object per line with string <c>prompt</c> and <c>gold</c> and an
/// optional <c>difficulty</c> (<c>easy</c>, <c>hard</c>, …). The held-out sets are <c>tasks.evalSize</c>
/// seeded picks among the lines labelled easy and hard; every other line is a training prompt.
/// </summary>
public static class TaskFile
{
    public static TaskSet Create(TasksConfig config, long seed)
    {
        var items = Load(config.File);
        var shuffled = items.ToArray();
        Seeds.Random(seed, 0, "task-file").Shuffle(shuffled);
        var easy = shuffled.Where(t => t.Difficulty == "easy").Take(config.EvalSize).ToArray();
        var hard = shuffled.Where(t => t.Difficulty == "hard").Take(config.EvalSize).ToArray();
        var heldOut = easy.Concat(hard).ToHashSet();
        var training = items.Where(t => !heldOut.Contains(t)).ToArray();
        if (training.Length == 0)
            throw new HarnessException($"{config.File}: every task is held out for evaluation; add tasks or lower tasks.evalSize ({config.EvalSize}).");
        return new TaskSet(easy, hard, random => training[random.Next(training.Length)], seed);
    }

    public static IReadOnlyList<TaskItem> Load(string file)
    {
        if (!File.Exists(file)) throw new HarnessException($"Task file '{file}' does not exist.");
        var items = new List<TaskItem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var prompt = Text(root, "prompt") ?? throw new FormatException("it has no string field 'prompt'");
                var gold = Text(root, "gold") ?? throw new FormatException("it has no string field 'gold'");
                var difficulty = Text(root, "difficulty") ?? "";
                var fields = new Dictionary<string, string>();
                foreach (var property in root.EnumerateObject())
                    if (property.Name != "prompt") fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                items.Add(new TaskItem(prompt, gold, difficulty, fields));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new HarnessException($"Task file '{file}', line {lineNumber}: {e.Message}. Each line must be an object with string 'prompt' and 'gold' and an optional 'difficulty'.", e);
            }
        }
        if (items.Count == 0) throw new HarnessException($"Task file '{file}' has no tasks.");
        return items;
    }

    private static string? Text(JsonElement root, string name) => root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty(name, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : root.ValueKind == JsonValueKind.Object ? null : throw new FormatException("it is not a JSON object");
}
