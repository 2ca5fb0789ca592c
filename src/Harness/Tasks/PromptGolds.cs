namespace Harness.Tasks;

/// <summary>
/// Gold answers found by prompt, for completions another trainer logged without one (TRL's completions files): the
/// task whose prompt is the completion's prompt, else the longest task prompt inside it (the trainer's chat template
/// around the question). Lookups are remembered per prompt: a trainer logs each prompt once per completion of its group.
/// </summary>
public sealed class PromptGolds(IReadOnlyList<TaskItem> tasks)
{
    private readonly Dictionary<string, string> _exact = tasks.GroupBy(t => t.Prompt).ToDictionary(g => g.Key, g => g.First().Gold);
    private readonly TaskItem[] _longestFirst = [.. tasks.OrderByDescending(t => t.Prompt.Length)];
    private readonly Dictionary<string, string?> _found = [];

    public string? For(string prompt)
    {
        if (_exact.TryGetValue(prompt, out var gold)) return gold;
        if (_found.TryGetValue(prompt, out var known)) return known;
        var inside = _longestFirst.FirstOrDefault(t => t.Prompt.Length > 0 && prompt.Contains(t.Prompt, StringComparison.Ordinal))?.Gold;
        _found[prompt] = inside;
        return inside;
    }
}
