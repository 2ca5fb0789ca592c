using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>
/// A line of metrics.jsonl: one step's metrics in the order they are logged, <c>step</c> first; a value is a number or
/// null (not measured this step, e.g. <c>kl</c> with no reference policy). Names follow TRL/verl where one exists.
/// </summary>
[JsonConverter(typeof(StepMetricsJsonConverter))]
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

    /// <summary>Fields that depend on wall-clock time, and so differ between otherwise identical runs.</summary>
    public static IReadOnlySet<string> TimingFields { get; } = new HashSet<string>
    {
        "step_time_s", "sampling_time_s", "scoring_time_s", "backward_time_s", "optimizer_time_s", "tokens_per_s",
    };
}
