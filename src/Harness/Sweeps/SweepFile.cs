using System.Text.Json;

namespace Harness.Sweeps;

/// <summary>
/// A sweep file (<c>experiments/sweeps/*.json</c>): the experiment (relative to this file), overrides shared by every run,
/// the variants by name with their overrides, and how many seeds. Told apart from an experiment by its
/// <c>variants</c> key; <c>harness sweep</c> takes either.
/// <code>{ "experiment": "../aha-addition.json", "seeds": 5, "set": [], "variants": [ { "name": "grpo", "set": ["grpo.advantageScale=group"] } ] }</code>
/// </summary>
public sealed record SweepFile(string Experiment, int? Seeds, IReadOnlyList<string> Set, IReadOnlyList<SweepVariant> Variants)
{
    /// <summary>The sweep file at <paramref name="path"/>; null when it is not one (an experiment, or not JSON: the experiment loader names what is wrong with it).</summary>
    public static SweepFile? TryLoad(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("variants", out _) ? Load(path, root) : null;
        }
    }

    private static SweepFile Load(string path, JsonElement root)
    {
        try
        {
            foreach (var key in root.EnumerateObject().Select(p => p.Name).Where(k => k is not ("experiment" or "seeds" or "set" or "variants")))
                throw new HarnessException($"{path}: unknown key '{key}' (a sweep file has experiment, seeds, set and variants).");
            if (!root.TryGetProperty("experiment", out var experiment) || experiment.ValueKind != JsonValueKind.String)
                throw new HarnessException($"{path}: \"experiment\" (the experiment file, relative to this one) is required.");
            int? seeds = root.TryGetProperty("seeds", out var s) ? s.GetInt32() : null;
            var variants = root.GetProperty("variants").EnumerateArray().Select((v, i) => new SweepVariant(
                v.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } n ? n : throw new HarnessException($"{path}: variants[{i}] needs a \"name\"."),
                Strings(v, "set", $"{path}: variants[{i}]"))).ToArray();
            if (variants.Length == 0) throw new HarnessException($"{path}: \"variants\" is empty.");
            if (variants.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new HarnessException($"{path}: two variants are named '{twice.Key}'.");
            var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, experiment.GetString()!));
            return new SweepFile(file, seeds, Strings(root, "set", path), variants);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new HarnessException($"{path}: {e.Message}", e);
        }
    }

    private static string[] Strings(JsonElement element, string key, string where) =>
        !element.TryGetProperty(key, out var list) ? []
        : list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray().Select(x => x.GetString() ?? throw new HarnessException($"{where}: \"{key}\" holds a non-string."))]
        : throw new HarnessException($"{where}: \"{key}\" must be a list of key=value strings.");
}
