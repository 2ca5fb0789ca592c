using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Answers;
using Harness.Experiments;

namespace Harness.Tasks;

/// <summary>
/// Problems from a task file in any <see cref="DatasetLayout"/>: each row's prompt (a chat list rendered by
/// <see cref="ChatPrompt"/>), its gold answer (from an answer field, or found in a worked solution by the answer formats:
/// GSM8K's "#### N", MATH's last <c>\boxed{}</c>), its difficulty where the layout has one, and every scalar field for the
/// rewards. A row that lacks what its layout needs is an error naming the file, the line and the field.
/// </summary>
public static class DatasetItems
{
    public static IReadOnlyList<TaskItem> Read(string file, DatasetLayout layout)
    {
        var items = new List<TaskItem>();
        var unit = DatasetRows.Unit(file);
        foreach (var (number, row) in DatasetRows.Read(file))
        {
            var where = $"Task file '{file}', {unit} {number}";
            if (layout == DatasetLayout.Auto) layout = Detect(row, where);
            items.Add(Item(row, layout, where));
        }
        if (items.Count == 0) throw new HarnessException($"Task file '{file}' has no tasks.");
        return items;
    }

    /// <summary>
    /// The layout a row is in, by its fields: <c>reward_model</c> is verl's, <c>question</c> with <c>answer</c> GSM8K's,
    /// <c>problem</c> MATH's, <c>prompt</c> with <c>gold</c> ours, <c>prompt</c> with <c>solution</c> or <c>answer</c> TRL's.
    /// </summary>
    public static DatasetLayout Detect(JsonObject row, string where) =>
        row.ContainsKey("reward_model") ? DatasetLayout.Verl
        : row.ContainsKey("question") && row.ContainsKey("answer") ? DatasetLayout.Gsm8k
        : row.ContainsKey("problem") ? DatasetLayout.Math
        : row.ContainsKey("prompt") && row.ContainsKey("gold") ? DatasetLayout.Harness
        : row.ContainsKey("prompt") && (row.ContainsKey("solution") || row.ContainsKey("answer")) ? DatasetLayout.Trl
        : throw new HarnessException($"{where}: no known layout has the fields {string.Join(", ", row.Select(p => $"'{p.Key}'"))}. " +
            "Layouts: ours (prompt, gold), GSM8K (question, answer), MATH (problem, solution or answer), verl (prompt, reward_model.ground_truth), " +
            "TRL (prompt, solution or answer); set tasks.format to force one.");

    private static TaskItem Item(JsonObject row, DatasetLayout layout, string where)
    {
        var (prompt, gold, difficulty) = layout switch
        {
            DatasetLayout.Harness => (Text(row, "prompt", where), Text(row, "gold", where), Optional(row, "difficulty") ?? ""),
            DatasetLayout.Gsm8k => (Text(row, "question", where), Found(Text(row, "answer", where), AnswerFormat.Gsm8k, where, "answer", "final answer after '####'"), ""),
            DatasetLayout.Math => (Text(row, "problem", where), MathGold(row, where), Level(row)),
            DatasetLayout.Verl => (Prompt(row, where), GroundTruth(row, where), ""),
            DatasetLayout.Trl => (Prompt(row, where), TrlGold(row, where), Optional(row, "difficulty") ?? ""),
            _ => throw new ArgumentOutOfRangeException(nameof(layout)),
        };
        var fields = new Dictionary<string, string>();
        foreach (var (name, value) in row)
            if (name != "prompt" && value is not null) fields[name] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        fields["gold"] = gold;
        if (difficulty.Length > 0) fields["difficulty"] = difficulty;
        return new TaskItem(prompt, gold, difficulty, fields);
    }

    private static string Prompt(JsonObject row, string where) => row["prompt"] switch
    {
        JsonArray chat => ChatPrompt.Render(chat, $"{where}, field 'prompt'"),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw new HarnessException($"{where}: field 'prompt' is neither a string nor a chat list."),
    };

    private static string MathGold(JsonObject row, string where) =>
        Optional(row, "answer") is { Length: > 0 } answer ? answer
        : Found(Text(row, "solution", where, "a 'solution' with \\boxed{} or an 'answer'"), AnswerFormat.Boxed, where, "solution", "final answer in \\boxed{}");

    private static string TrlGold(JsonObject row, string where)
    {
        if (Optional(row, "answer") is { Length: > 0 } answer) return answer;
        var solution = Text(row, "solution", where, "a 'solution' or an 'answer'");
        // A worked solution gives its boxed or "####" answer; a short one is the answer itself.
        return AnswerFinder.Find(solution, AnswerFormat.Boxed)?.Text ?? AnswerFinder.Find(solution, AnswerFormat.Gsm8k)?.Text ?? solution.Trim();
    }

    private static string GroundTruth(JsonObject row, string where)
    {
        var truth = (row["reward_model"] as JsonObject)?["ground_truth"]
            ?? throw new HarnessException($"{where}: field 'reward_model.ground_truth' is missing (verl's layout).");
        // Several accepted answers (a list) give the first; numbers are written as verl's scorers read them.
        if (truth is JsonArray { Count: > 0 } list) truth = list[0]!;
        return truth.GetValueKind() switch
        {
            JsonValueKind.String => truth.GetValue<string>(),
            JsonValueKind.Number => truth.ToJsonString(),
            _ => throw new HarnessException($"{where}: field 'reward_model.ground_truth' is not a string or a number."),
        };
    }

    /// <summary>MATH's "Level 1" … "Level 5": 1–2 easy, 4–5 hard (the held-out hard slice), 3 medium.</summary>
    private static string Level(JsonObject row) => Optional(row, "level") is { } level && int.TryParse(level.Replace("Level", "", StringComparison.OrdinalIgnoreCase).Trim(),
        NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
        ? n <= 2 ? "easy" : n >= 4 ? "hard" : "medium"
        : "";

    private static string Found(string text, AnswerFormat format, string where, string field, string what) =>
        AnswerFinder.Find(text, format)?.Text.Trim() ?? throw new HarnessException($"{where}: field '{field}' has no {what}.");

    private static string Text(JsonObject row, string field, string where, string? need = null) =>
        Optional(row, field) ?? throw new HarnessException($"{where}: field '{field}' is missing or not a string{(need is null ? "" : $"; the row needs {need}")}.");

    private static string? Optional(JsonObject row, string field) => row[field] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };
}
