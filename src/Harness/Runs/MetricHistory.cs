using Harness.Abstractions;

namespace Harness.Runs;

/// <summary>Every step's metrics so far, by column, for series detectors; built live or read from metrics.jsonl.</summary>
public sealed class MetricHistory
{
    private readonly List<int> _steps = [];
    private readonly Dictionary<string, List<double?>> _columns = new(StringComparer.Ordinal);

    public int Count => _steps.Count;

    public void Add(int step, IEnumerable<KeyValuePair<string, double?>> values)
    {
        foreach (var (name, value) in values)
        {
            if (!_columns.TryGetValue(name, out var column))
                _columns[name] = column = [.. Enumerable.Repeat<double?>(null, _steps.Count)];
            column.Add(value);
        }
        _steps.Add(step);
        foreach (var column in _columns.Values)
            if (column.Count < _steps.Count) column.Add(null);
    }

    /// <summary>The metrics of steps up to <paramref name="step"/> only.</summary>
    public MetricHistory Through(int step)
    {
        var kept = new MetricHistory();
        for (var i = 0; i < _steps.Count && _steps[i] <= step; i++)
            kept.Add(_steps[i], _columns.Select(c => KeyValuePair.Create(c.Key, c.Value[i])));
        return kept;
    }

    /// <summary>Each recorded step after <paramref name="step"/>, with its values by metric.</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, double?>> After(int step) =>
        Enumerable.Range(0, _steps.Count).Where(i => _steps[i] > step)
            .ToDictionary(i => _steps[i], i => (IReadOnlyDictionary<string, double?>)_columns.ToDictionary(c => c.Key, c => c.Value[i]));

    public MetricSeries ToSeries() => new([.. _steps], _columns.ToDictionary(c => c.Key, c => (IReadOnlyList<double?>)[.. c.Value]));

    /// <summary>Reads metrics.jsonl through <paramref name="throughStep"/>; a torn last line is ignored.</summary>
    public static MetricHistory Read(string path, int throughStep = int.MaxValue)
    {
        if (!File.Exists(path)) throw new HarnessException($"'{path}' does not exist: a run directory needs metrics.jsonl.");
        return Of(RunFile.Records<StepMetrics>(path).TakeWhile(m => m.Step <= throughStep));
    }

    /// <summary>The history of metrics lines, in their order.</summary>
    public static MetricHistory Of(IEnumerable<StepMetrics> lines)
    {
        var history = new MetricHistory();
        foreach (var line in lines) history.Add(line.Step, line.Values);
        return history;
    }
}
