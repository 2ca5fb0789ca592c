namespace Harness.Sessions;

/// <summary>
/// A step's aggregates over the chunks (or requests) it was scored in, each weighted by its size: exact for the rates,
/// which are shares of all completions; for a mean over a subset (re-checks, say) a mean of the chunks' means.
/// </summary>
public sealed class StepRates
{
    private readonly Dictionary<string, (double Sum, long Weight)> _sums = new(StringComparer.Ordinal);

    /// <summary>How many completions the step has had.</summary>
    public long Completions { get; private set; }

    public void Add(IReadOnlyDictionary<string, double> aggregates, int size)
    {
        Completions += size;
        foreach (var (name, value) in aggregates)
        {
            var (sum, weight) = _sums.GetValueOrDefault(name);
            _sums[name] = (sum + value * size, weight + size);
        }
    }

    public IEnumerable<KeyValuePair<string, double?>> Means() =>
        _sums.Select(s => KeyValuePair.Create(s.Key, (double?)(s.Value.Sum / s.Value.Weight)));
}
