using System.Globalization;
using Harness.Abstractions;

namespace Harness.Plugins.Fixes;

/// <summary>
/// The premature-plateau fix: when a watched rate (by default <c>self_verify_rate</c>) has risen and then
/// falls back below a share of its peak, lower the learning rate and raise β, so the policy stops drifting
/// away from a working solution. It compares moving averages, acts once per fall, and re-arms when the
/// rate recovers.
/// </summary>
[Plugin("plateau-guard", Description = "lowers the learning rate and raises beta when self_verify_rate falls back from its peak")]
public sealed class PlateauGuard(PluginSettings settings) : IFixStrategy
{
    private readonly string _metric = settings.GetString("metric", "self_verify_rate");
    private readonly int _window = Math.Max(1, settings.GetInt("window", 5));
    private readonly double _minPeak = settings.GetDouble("min_peak", 0.2);
    private readonly double _fallTo = settings.GetDouble("fall_to", 0.5);
    private readonly double _lrScale = settings.GetDouble("lr_scale", 0.5);
    private readonly double _betaScale = settings.GetDouble("beta_scale", 2.0);
    private readonly double _betaMin = settings.GetDouble("beta_min", 0.02);
    private readonly Queue<double> _recent = new();
    private double _peak;
    private bool _armed = true;

    public FixDecision? Review(StepReview review)
    {
        if (!review.Metrics.TryGetValue(_metric, out var value)) return null;
        _recent.Enqueue(value);
        if (_recent.Count > _window) _recent.Dequeue();
        if (_recent.Count < _window) return null;

        var average = _recent.Average();
        _peak = Math.Max(_peak, average);
        var threshold = _peak * _fallTo;
        if (average > threshold) { _armed = true; return null; }
        if (!_armed || _peak < _minPeak) return null;

        _armed = false;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{_metric} fell to {average:0.###} (moving average over {_window} steps) from a peak of {_peak:0.###}");
        return new FixDecision(review.LearningRate * _lrScale, Math.Max(review.Beta * _betaScale, _betaMin), reason);
    }
}
