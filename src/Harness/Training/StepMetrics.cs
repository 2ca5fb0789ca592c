using System.Text.Json;

namespace Harness.Training;

/// <summary>
/// One step's metrics in the order they are logged; a value is a number or null (not measured this step,
/// e.g. <c>kl</c> with no reference policy). Names follow TRL/verl where one exists.
/// </summary>
public sealed class StepMetrics
{
    private readonly OrderedDictionary<string, double?> _values = new(StringComparer.Ordinal);

    public StepMetrics(int step) => Step = step;

    public int Step { get; }

    public IEnumerable<KeyValuePair<string, double?>> Values => _values;

    public double? this[string name] => _values.GetValueOrDefault(name);

    public bool Contains(string name) => _values.ContainsKey(name);

    public StepMetrics Set(string name, double? value)
    {
        _values[name] = value is { } v && !double.IsFinite(v) ? null : value;
        return this;
    }

    /// <summary>The numbers only, for fix strategies.</summary>
    public IReadOnlyDictionary<string, double> Numbers() =>
        _values.Where(kv => kv.Value.HasValue).ToDictionary(kv => kv.Key, kv => kv.Value!.Value);

    /// <summary>One JSON object on one line, <c>step</c> first.</summary>
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Core.JsonOutput.Writer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("step", Step);
            foreach (var (name, value) in _values)
            {
                if (value is { } v) writer.WriteNumber(name, v);
                else writer.WriteNull(name);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Fields that depend on wall-clock time, and so differ between otherwise identical runs.</summary>
    public static IReadOnlySet<string> TimingFields { get; } = new HashSet<string>
    {
        "step_time_s", "sampling_time_s", "scoring_time_s", "backward_time_s", "optimizer_time_s", "tokens_per_s",
    };
}
