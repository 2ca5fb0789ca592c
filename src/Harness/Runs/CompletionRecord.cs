using System.Text.Json;

namespace Harness.Runs;

/// <summary>One sampled completion as completions.jsonl records it.</summary>
public sealed record CompletionRecord(
    int Step,
    int Group,
    string Prompt,
    string Completion,
    int TokenCount,
    bool Truncated,
    double Reward,
    IReadOnlyDictionary<string, double> Terms,
    double Advantage,
    IReadOnlyList<string> Flags)
{
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Core.JsonOutput.Writer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("step", Step);
            writer.WriteNumber("group", Group);
            writer.WriteString("prompt", Prompt);
            writer.WriteString("completion", Completion);
            writer.WriteNumber("tokens", TokenCount);
            writer.WriteBoolean("truncated", Truncated);
            writer.WriteNumber("reward", Reward);
            writer.WriteStartObject("terms");
            foreach (var (name, value) in Terms) writer.WriteNumber(name, value);
            writer.WriteEndObject();
            writer.WriteNumber("advantage", Advantage);
            writer.WriteStartArray("flags");
            foreach (var flag in Flags) writer.WriteStringValue(flag);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
