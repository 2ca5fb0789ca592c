using Harness.Runs;

namespace Harness.Diagnostics;

/// <summary>A completion as completions.jsonl recorded it, with the fields the doctor reads.</summary>
public sealed record LoggedCompletion(int Step, string Text, IReadOnlyList<string> Flags)
{
    /// <summary>Every record of a completions.jsonl; a missing file is an empty log, a torn last line is skipped.</summary>
    public static IReadOnlyList<LoggedCompletion> ReadAll(string path) => !File.Exists(path) ? [] :
    [
        .. JsonlLog.Records(path).Select(r => new LoggedCompletion(r.Record.GetProperty("step").GetInt32(), r.Record.GetProperty("completion").GetString() ?? "",
            [.. r.Record.GetProperty("flags").EnumerateArray().Select(f => f.GetString() ?? "")])),
    ];
}
