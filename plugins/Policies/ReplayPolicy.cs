using System.Text.Json;
using Harness.Abstractions;

namespace Harness.Plugins.Policies;

/// <summary>
/// Replays recorded completions instead of generating them: for each prompt it draws, with a seeded
/// generator, completions recorded for that prompt in a JSON Lines file (<c>{"prompt": …, "completion": …}</c>).
/// It lets rewards and detectors be run and compared on a fixed dump of completions, with no model.
/// Tokens are counted as characters.
/// </summary>
[Plugin("replay", Description = "draws recorded completions per prompt from a JSON Lines file (setting: file)", PathSettings = ["file"])]
public sealed class ReplayPolicy : IPolicy
{
    private readonly string _file;
    private readonly Dictionary<string, List<string>> _byPrompt;

    public ReplayPolicy(PluginSettings settings)
    {
        _file = settings.GetRequiredString("file");
        _byPrompt = Load(_file);
    }

    public IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request) =>
        request.Prompts.Select((prompt, i) =>
        {
            if (!_byPrompt.TryGetValue(prompt, out var recorded))
                throw new InvalidOperationException($"Policy 'replay': {_file} has no completion for prompt '{prompt}'.");
            // Seeded by (request seed, prompt index) alone, so a resumed run draws what the first one drew.
            var random = new Random(unchecked((int)((ulong)request.Seed * 0x9E3779B97F4A7C15UL >> 33) ^ i * 0x2545F491));
            return (IReadOnlyList<SampledCompletion>)Enumerable.Range(0, request.GroupSize)
                .Select(_ => recorded[random.Next(recorded.Count)])
                .Select(text => text.Length > request.MaxNewTokens
                    ? new SampledCompletion(text[..request.MaxNewTokens], request.MaxNewTokens, true)
                    : new SampledCompletion(text, text.Length, false))
                .ToArray();
        }).ToArray();

    private static Dictionary<string, List<string>> Load(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"Policy 'replay': completions file '{file}' does not exist.", file);
        var byPrompt = new Dictionary<string, List<string>>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string prompt, completion;
            try
            {
                using var doc = JsonDocument.Parse(line);
                prompt = doc.RootElement.GetProperty("prompt").GetString() ?? throw new FormatException("'prompt' is null");
                completion = doc.RootElement.GetProperty("completion").GetString() ?? throw new FormatException("'completion' is null");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new FormatException($"Policy 'replay': {file} line {lineNumber} is not an object with string fields 'prompt' and 'completion': {e.Message}", e);
            }
            if (!byPrompt.TryGetValue(prompt, out var list)) byPrompt[prompt] = list = [];
            list.Add(completion);
        }
        return byPrompt;
    }
}
