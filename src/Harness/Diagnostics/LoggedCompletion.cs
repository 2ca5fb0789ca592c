using System.Text.Json;

namespace Harness.Diagnostics;

/// <summary>A completion as completions.jsonl recorded it, with the fields the doctor reads.</summary>
public sealed record LoggedCompletion(int Step, string Text, IReadOnlyList<string> Flags)
{
    /// <summary>Every record of a completions.jsonl; a missing file is an empty log, a torn last line is skipped.</summary>
    public static IReadOnlyList<LoggedCompletion> ReadAll(string path)
    {
        if (!File.Exists(path)) return [];
        var records = new List<LoggedCompletion>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                records.Add(new LoggedCompletion(root.GetProperty("step").GetInt32(), root.GetProperty("completion").GetString() ?? "",
                    [.. root.GetProperty("flags").EnumerateArray().Select(f => f.GetString() ?? "")]));
            }
            catch (JsonException)
            {
                break;
            }
        }
        return records;
    }
}
