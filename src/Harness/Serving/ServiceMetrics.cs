using Prometheus;

namespace Harness.Serving;

/// <summary>
/// The service's request metrics in Prometheus' text format (<c>GET /metrics</c>, prometheus-net): requests by endpoint
/// and status, latency, time spent in the plugins, completions scored, faults by plugin, and completions that came
/// for a step already written. prometheus-net adds the process's own (memory, CPU, threads).
/// </summary>
public sealed class ServiceMetrics
{
    private static readonly double[] Seconds = Histogram.ExponentialBuckets(0.0002, 2, 16);

    public Counter Requests { get; } = Metrics.CreateCounter("harness_serve_requests_total", "Requests answered, by endpoint and HTTP status.", "endpoint", "status");

    public Histogram Latency { get; } = Metrics.CreateHistogram("harness_serve_request_seconds", "Time from a request's arrival to its answer, by endpoint.",
        new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = Seconds });

    public Histogram PluginTime { get; } = Metrics.CreateHistogram("harness_serve_plugin_seconds", "Time a request spent in the reward and detector plugins.",
        new HistogramConfiguration { Buckets = Seconds });

    public Counter Completions { get; } = Metrics.CreateCounter("harness_serve_completions_total", "Completions scored.");

    public Counter Faults { get; } = Metrics.CreateCounter("harness_serve_plugin_faults_total", "Requests failed by a plugin (a throw, a time limit, a contract break), by plugin.", "plugin");

    public Counter LanesReplaced { get; } = Metrics.CreateCounter("harness_serve_lanes_replaced_total", "Scoring lanes given up because a plugin call overran its time limit, each replaced by a new one.");

    public Counter Late { get; } = Metrics.CreateCounter("harness_serve_late_completions_total", "Completions scored for a training step already written, not counted in its metrics.");
}
