using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Regression;

/// <summary>One metric a baseline pins: its value at a step (the last step when <see cref="Step"/> is null), within an absolute tolerance.</summary>
public sealed record BaselineMetric(string Name, int? Step, double Value, double Tolerance);

/// <summary>
/// A committed regression baseline, <c>&lt;dir&gt;/baseline.json</c>: the seeded experiment to run (path relative
/// to the working directory, with <c>--set</c> overrides) and the metrics its run must reproduce.
/// </summary>
public sealed record Baseline(string Directory, string Experiment, IReadOnlyList<string> Set, IReadOnlyList<BaselineMetric> Metrics)
{
    public const string FileName = "baseline.json";

    public static Baseline Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new HarnessException($"'{directory}' is not a regression baseline: {FileName} is missing.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var experiment = Required(root, "experiment", path).GetString() ?? "";
            var set = root.TryGetProperty("set", out var overrides) ? overrides.EnumerateArray().Select(o => o.GetString() ?? "").ToArray() : [];
            var metrics = Required(root, "metrics", path).EnumerateArray().Select((m, i) => new BaselineMetric(
                Required(m, "name", $"{path}, metrics[{i}]").GetString() ?? "",
                m.TryGetProperty("step", out var step) && step.ValueKind == JsonValueKind.Number ? step.GetInt32() : null,
                Required(m, "value", $"{path}, metrics[{i}]").GetDouble(),
                Required(m, "tolerance", $"{path}, metrics[{i}]").GetDouble())).ToArray();
            if (metrics.Length == 0) throw new HarnessException($"{path}: \"metrics\" is empty; a baseline pins at least one metric.");
            if (metrics.FirstOrDefault(m => !(m.Tolerance >= 0)) is { } bad)
                throw new HarnessException($"{path}: metric '{bad.Name}' has tolerance {bad.Tolerance}; it must be 0 or more.");
            return new Baseline(directory, experiment, set, metrics);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new HarnessException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rewrites the baseline's file with each metric's value taken from <paramref name="checks"/> (a run of it),
    /// keeping everything else (experiment, overrides, steps, tolerances); written whole, then renamed into place.
    /// </summary>
    /// <exception cref="HarnessException">The run lacks a metric the baseline pins; nothing is written.</exception>
    public void UpdateValues(IReadOnlyList<MetricCheck> checks)
    {
        var path = Path.Combine(Directory, FileName);
        if (checks.FirstOrDefault(c => c.Actual is null) is { } missing)
            throw new HarnessException($"Cannot update {path}: {missing.Describe()}. Nothing was written.");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var metrics = root["metrics"]!.AsArray();
        // Rounded to 10 decimals, as --json prints numbers: float noise (0.934375000000001) would only clutter the file.
        // A value that did not change keeps its text.
        for (var i = 0; i < checks.Count; i++)
            if (Math.Round(checks[i].Actual!.Value, 10) is var value && value != checks[i].Metric.Value) metrics[i]!["value"] = value;
        Core.AtomicText.Write(path, Render(root.AsObject()));
    }

    /// <summary>
    /// The file's layout: one top-level key per line and one metric per line, so an update's diff shows exactly the
    /// values that moved (values not updated keep their text, e.g. <c>1.0</c>).
    /// </summary>
    private static string Render(JsonObject root)
    {
        var line = Core.JsonOutput.Line;
        var text = new System.Text.StringBuilder("{\n");
        var keys = root.ToArray();
        for (var k = 0; k < keys.Length; k++)
        {
            var (name, value) = keys[k];
            text.Append("  ").Append(JsonSerializer.Serialize(name, line)).Append(": ");
            if (name == "metrics" && value is JsonArray metrics)
                text.Append("[\n").AppendJoin(",\n", metrics.Select(m => "    " + m!.ToJsonString(line))).Append("\n  ]");
            else text.Append(value?.ToJsonString(line) ?? "null");
            text.Append(k < keys.Length - 1 ? ",\n" : "\n");
        }
        return text.Append("}\n").ToString();
    }

    private static JsonElement Required(JsonElement element, string name, string where) =>
        element.TryGetProperty(name, out var value) ? value : throw new HarnessException($"{where}: \"{name}\" is required.");
}
