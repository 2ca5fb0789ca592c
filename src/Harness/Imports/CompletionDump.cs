using System.Globalization;
using System.Text.Json;
using Harness.Runs;

namespace Harness.Imports;

/// <summary>
/// Completions other tools wrote, as our completion records: verl's rollout dumps (<c>trainer.rollout_data_dir</c>,
/// one <c>&lt;step&gt;.jsonl</c> per step; lines with <c>input</c>, <c>output</c>, <c>gts</c>, <c>score</c>, <c>step</c>
/// and any extra reward keys; verl/trainer/ppo/ray_trainer.py) and plain JSON Lines (<c>prompt</c>, <c>completion</c>,
/// optional <c>step</c> and <c>gold</c>). Token counts are not recorded there: a completion's length is its characters.
/// </summary>
public static class CompletionDump
{
    /// <summary>A dump's fields: the prompt's, the completion's and the gold answer's keys.</summary>
    public sealed record Shape(string Name, string Prompt, string Completion, string Gold);

    public static Shape VerlRollout { get; } = new("verl rollout dump", "input", "output", "gts");

    public static Shape Plain { get; } = new("completions JSON Lines", "prompt", "completion", "gold");

    /// <summary>The shape of a file's first record, if it is one of these.</summary>
    public static Shape? ShapeOf(string file) => JsonLines.First(file) is var first
        ? JsonLines.HasStrings(first, VerlRollout.Prompt, VerlRollout.Completion) ? VerlRollout
        : JsonLines.HasStrings(first, Plain.Prompt, Plain.Completion) ? Plain
        : null
        : null;

    /// <summary>verl's per-step dump files in a folder (<c>&lt;step&gt;.jsonl</c>), in step order.</summary>
    public static IReadOnlyList<string> RolloutFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.jsonl")
            .Select(f => (File: f, Step: int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1))
            .Where(f => f.Step >= 0).OrderBy(f => f.Step).Select(f => f.File)];

    /// <summary>
    /// The records of dump files, streamed: a line's own <c>step</c> wins, else the file's name when it is a step
    /// number, else 0; numbers besides the step become reward terms.
    /// </summary>
    public static IEnumerable<CompletionRecord> Read(IEnumerable<string> files, Shape shape)
    {
        foreach (var file in files)
        {
            var fileStep = int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            foreach (var (lineNumber, record) in JsonlLog.Records(file, TrainerJson.Standard))
            {
                if (!JsonLines.HasStrings(record, shape.Prompt, shape.Completion))
                    throw new HarnessException($"{file}, line {lineNumber}: not a {shape.Name} line (it needs string fields '{shape.Prompt}' and '{shape.Completion}').");
                var text = record.GetProperty(shape.Completion).GetString()!;
                var terms = record.EnumerateObject().Where(p => p.Name != "step" && p.Value.ValueKind == JsonValueKind.Number)
                    .ToDictionary(p => p.Name, p => p.Value.GetDouble());
                var step = record.TryGetProperty("step", out var st) && st.TryGetInt32(out var n) ? n : fileStep;
                yield return new CompletionRecord(step, 0, record.GetProperty(shape.Prompt).GetString()!, text, text.Length, false,
                    terms.GetValueOrDefault("score"), terms, null, [])
                {
                    Gold = record.TryGetProperty(shape.Gold, out var gold) ? gold.ValueKind == JsonValueKind.String ? gold.GetString() : gold.GetRawText() : null,
                };
            }
        }
    }
}
