using Harness.Abstractions;

namespace Harness.Imports;

/// <summary>
/// Another trainer's per-step values gathered into our metric series: entries of one step merge into one row (TRL
/// logs training and evaluation apart at the same step), names go through <see cref="MetricNames"/>, and the first
/// value given for a name at a step is kept.
/// </summary>
public sealed class ImportedSeries(string trainer)
{
    private readonly SortedDictionary<int, Dictionary<string, double?>> _rows = [];

    public int Steps => _rows.Count;

    public void Add(int step, string key, double? value)
    {
        if (!_rows.TryGetValue(step, out var row)) _rows[step] = row = new Dictionary<string, double?>(StringComparer.Ordinal);
        row.TryAdd(MetricNames.Ours(trainer, key), value is { } v && !double.IsFinite(v) ? null : value);
    }

    public MetricSeries ToSeries()
    {
        var names = _rows.Values.SelectMany(r => r.Keys).Distinct().ToArray();
        return new MetricSeries([.. _rows.Keys],
            names.ToDictionary(n => n, n => (IReadOnlyList<double?>)[.. _rows.Values.Select(r => r.GetValueOrDefault(n))]));
    }
}
