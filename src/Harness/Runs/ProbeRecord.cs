using System.Text.Json;
using Harness.Abstractions;

namespace Harness.Runs;

/// <summary>One completion of the probe prompt, with where the detectors found something in it.</summary>
public sealed record ProbeCompletion(string Text, bool Greedy, double Reward, IReadOnlyList<string> Flags, IReadOnlyList<FindingSpan> Spans);

/// <summary>The probe prompt's completions at one checkpoint (step 0: before training), as probes.jsonl records them.</summary>
public sealed record ProbeRecord(int Step, string Prompt, string Gold, IReadOnlyList<ProbeCompletion> Completions)
{
    public string ToJsonLine() => JsonSerializer.Serialize(new
    {
        step = Step,
        prompt = Prompt,
        gold = Gold,
        completions = Completions.Select(c => new
        {
            text = c.Text,
            greedy = c.Greedy,
            reward = c.Reward,
            flags = c.Flags,
            spans = c.Spans.Select(s => new { start = s.Start, length = s.Length, label = s.Label }),
        }),
    }, Core.JsonOutput.Line);

    public static ProbeRecord Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return new ProbeRecord(root.GetProperty("step").GetInt32(), root.GetProperty("prompt").GetString() ?? "", root.GetProperty("gold").GetString() ?? "",
            [.. root.GetProperty("completions").EnumerateArray().Select(c => new ProbeCompletion(
                c.GetProperty("text").GetString() ?? "", c.GetProperty("greedy").GetBoolean(), c.GetProperty("reward").GetDouble(),
                [.. c.GetProperty("flags").EnumerateArray().Select(f => f.GetString() ?? "")],
                [.. c.GetProperty("spans").EnumerateArray().Select(s => new FindingSpan(s.GetProperty("start").GetInt32(), s.GetProperty("length").GetInt32(), s.GetProperty("label").GetString() ?? ""))]))]);
    }
}
