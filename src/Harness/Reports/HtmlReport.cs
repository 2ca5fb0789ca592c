using System.Globalization;
using System.Net;
using System.Text;
using Harness.Abstractions;
using Harness.Diagnostics;
using Harness.Runs;
using Harness.Training;

namespace Harness.Reports;

/// <summary>Everything a run report shows.</summary>
/// <param name="Verdicts">Each series detector's report, by detector name.</param>
/// <param name="Declared">The metrics the run's plugins declare (contract 1.4): labels and families.</param>
public sealed record ReportData(
    string Title,
    MetricSeries Metrics,
    IReadOnlyList<(string Detector, SeriesReport Report)> Verdicts,
    IReadOnlyList<MetricInfo> Declared,
    IReadOnlyList<ProbeRecord> Probes,
    string ConfigJson,
    string ManifestJson,
    DoctorReport Doctor);

/// <summary>
/// The run report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched) with the
/// verdict, the curves a series detector's verdict rests on (the aha moment's three) on one chart with the window it
/// points at and their values at the bend, pass@1, a heatmap per declared metric family (the phrases), the reward
/// terms, the failure modes (<c>harness doctor</c>'s table), the comparator with phrases highlighted, and the config
/// and manifest. Plugins' metrics are drawn as the plugins declare them; the page spells only the engine's own.
/// </summary>
public static class HtmlReport
{
    private static readonly string[] Colors = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04"];

    /// <summary>The colours of successive lines.</summary>
    public static IReadOnlyList<string> Palette => Colors;

    /// <summary>A page's opening up to its body: the title and the one style sheet of every page the harness writes.</summary>
    public static string Head(string title) =>
        new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#111}h1{font-size:22px}h2{font-size:17px;margin-top:32px}")
            .Append(".verdict{display:inline-block;padding:4px 10px;border-radius:6px;background:#e5e7eb;font-weight:600}.verdict.aha{background:#bbf7d0}")
            .Append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}")
            .Append("mark{background:#fde047}pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}.completion{font-family:monospace;white-space:pre-wrap;max-width:420px}")
            .Append(".beyond{background:#fecaca;font-weight:600}svg.chart{width:100%;height:auto}</style></head><body>").ToString();

    public static string Render(ReportData data)
    {
        var html = new StringBuilder(Head(data.Title));
        html.Append("<h1>").Append(E(data.Title)).Append("</h1>")
            .Append(Invariant($"<p>{data.Metrics.Steps.Count} steps.</p>"));
        foreach (var (detector, report) in data.Verdicts)
            html.Append("<p id=\"verdict\"><span class=\"verdict ").Append(E(report.Verdict)).Append("\">").Append(E(detector)).Append(": ")
                .Append(E(report.Verdict)).Append("</span> ").Append(E(report.Explanation)).Append("</p>");

        var curved = data.Verdicts.Select(v => v.Report).Where(r => r.Curves.Count > 0).OrderBy(r => r.Window is null).FirstOrDefault();
        html.Append("<h2>The curves behind the verdict</h2><p>Each scaled to its own range (0 = its lowest value, 1 = its highest).</p>")
            .Append(curved is null
                ? "<p>No series detector of this run reports the curves its verdict rests on.</p>"
                : SvgChart.Lines("curves", ScaledCurves(data.Metrics, curved.Curves), "scaled value",
                    curved.Window is { } w ? new ChartWindow(w.Start, w.End, w.Label) : null, (0, 1)) + BendTable(curved.Curves));
        html.Append("<h2>pass@1 on the held-out sets</h2>")
            .Append(SvgChart.Lines("pass1", Lines(data.Metrics, ["pass1_easy", "pass1_hard"]), "pass@1", null, (0, 1)));
        html.Append(FamilyHeatmaps(data.Metrics, data.Declared));
        var rewardColumns = data.Metrics.Metrics.Keys.Where(k => k.StartsWith("reward/", StringComparison.Ordinal) && k.EndsWith("_mean", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        html.Append("<h2>Reward terms</h2>").Append(SvgChart.Lines("rewards", Lines(data.Metrics, ["reward_mean", .. rewardColumns]), "mean reward"));
        html.Append("<h2>Failure modes</h2>").Append(DoctorTable(data.Doctor));
        html.Append("<h2>Comparator</h2>").Append(Comparator(data.Probes));
        html.Append("<h2>Config</h2><details><summary>config.json</summary><pre>").Append(E(data.ConfigJson)).Append("</pre></details>")
            .Append("<h2>Plugins and machine</h2><details open><summary>manifest.json</summary><pre>").Append(E(data.ManifestJson)).Append("</pre></details>");
        return html.Append("</body></html>").ToString();
    }

    private static IReadOnlyList<ChartLine> ScaledCurves(MetricSeries metrics, IReadOnlyList<SeriesCurve> curves) =>
        [.. curves.Select((curve, i) =>
        {
            var points = Points(metrics, curve.Metric);
            if (points.Count == 0) return new ChartLine(curve.Metric, [], Colors[i % Colors.Length]);
            var (min, max) = (points.Min(p => p.Y), points.Max(p => p.Y));
            var span = max > min ? max - min : 1;
            return new ChartLine(Invariant($"{curve.Metric} ({min:0.###} to {max:0.###})"), [.. points.Select(p => (p.X, (p.Y - min) / span))], Colors[i % Colors.Length]);
        })];

    private static string BendTable(IReadOnlyList<SeriesCurve> curves)
    {
        var table = new StringBuilder("<table id=\"bends\"><tr><th>curve</th><th>first</th><th>bend at step</th><th>value at bend</th><th>last</th><th>slope before</th><th>slope after</th></tr>");
        static string V(double? value) => value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "–";
        foreach (var c in curves)
            table.Append("<tr><td>").Append(E(c.Metric)).Append("</td><td>").Append(V(c.First)).Append("</td><td>").Append(V(c.BendStep)).Append("</td><td>")
                .Append(V(c.ValueAtBend)).Append("</td><td>").Append(V(c.Last)).Append("</td><td>").Append(V(c.SlopeBefore)).Append("</td><td>").Append(V(c.SlopeAfter)).Append("</td></tr>");
        return table.Append("</table>").ToString();
    }

    /// <summary>One heatmap per declared metric family the run logged: a row per metric (by its label), a column per tenth of the run.</summary>
    private static string FamilyHeatmaps(MetricSeries metrics, IReadOnlyList<MetricInfo> declared)
    {
        var families = declared.Where(m => m.Family is not null && metrics.Metrics.ContainsKey(m.Name)).GroupBy(m => m.Family!).ToArray();
        if (families.Length == 0 || metrics.Steps.Count == 0)
            return "<h2>Metric families over time</h2><p>This run logged no metric family a detector declares (the self-verification phrases are one).</p>";
        var bins = Math.Min(10, metrics.Steps.Count);
        var bounds = Enumerable.Range(0, bins + 1).Select(b => b * metrics.Steps.Count / bins).ToArray();
        var columns = Enumerable.Range(0, bins).Select(b => $"{metrics.Steps[bounds[b]]}–{metrics.Steps[bounds[b + 1] - 1]}").ToArray();
        var html = new StringBuilder();
        foreach (var family in families)
        {
            var rows = family.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
            var values = new double[rows.Length, bins];
            for (var r = 0; r < rows.Length; r++)
                for (var b = 0; b < bins; b++)
                {
                    var cells = metrics.Metrics[rows[r].Name].Skip(bounds[b]).Take(bounds[b + 1] - bounds[b]).Where(v => v.HasValue).Select(v => v!.Value).ToArray();
                    values[r, b] = cells.Length == 0 ? 0 : cells.Average();
                }
            html.Append("<h2>").Append(E(char.ToUpperInvariant(family.Key[0]) + family.Key[1..])).Append(" over time</h2>")
                .Append(SvgChart.Heatmap(new string([.. family.Key.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]),
                    [.. rows.Select(m => m.Label)], columns, values));
        }
        return html.ToString();
    }

    private static string DoctorTable(DoctorReport report)
    {
        var html = new StringBuilder("<table id=\"doctor\"><tr><th>mode</th><th>status</th><th>evidence</th><th>fix to try</th><th>example</th></tr>");
        foreach (var d in report.Diagnoses)
            html.Append("<tr><td>").Append(E(d.Mode.Info.Name)).Append("</td><td>").Append(E(d.StatusText)).Append("</td><td>").Append(E(d.Evidence))
                .Append("</td><td>").Append(E(d.FixText)).Append("</td><td class=\"completion\">")
                .Append(d.Examples.Count > 0 ? E($"step {d.Examples[0].Step}: {d.Examples[0].Text}") : "").Append("</td></tr>");
        html.Append("</table>");
        foreach (var line in report.FixEvents) html.Append("<p>Fix acted, ").Append(E(line)).Append("</p>");
        return html.ToString();
    }

    private static string Comparator(IReadOnlyList<ProbeRecord> probes)
    {
        if (probes.Count == 0) return "<p>No probe completions recorded.</p>";
        var html = new StringBuilder("<p>Probe: <code>").Append(E(probes[0].Prompt)).Append("</code> (gold ").Append(E(probes[0].Gold))
            .Append("), at the start and at every checkpoint; phrases the detectors found are highlighted.</p><table id=\"comparator\"><tr><th>step</th><th>greedy</th><th>sampled</th></tr>");
        foreach (var probe in probes)
        {
            html.Append(Invariant($"<tr><td>{probe.Step}</td><td>"));
            foreach (var c in probe.Completions.Where(c => c.Greedy)) html.Append(Completion(c));
            html.Append("</td><td>");
            foreach (var c in probe.Completions.Where(c => !c.Greedy)) html.Append(Completion(c));
            html.Append("</td></tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static string Completion(ProbeCompletion completion)
    {
        var text = new StringBuilder(Invariant($"<div class=\"completion\">reward {completion.Reward:0.##}: "));
        var at = 0;
        foreach (var span in completion.Spans.Where(s => s.Start >= 0 && s.Start + s.Length <= completion.Text.Length))
        {
            if (span.Start < at) continue;
            text.Append(E(completion.Text[at..span.Start])).Append("<mark title=\"").Append(E(span.Label)).Append("\">")
                .Append(E(completion.Text.Substring(span.Start, span.Length))).Append("</mark>");
            at = span.Start + span.Length;
        }
        return text.Append(E(completion.Text[at..])).Append("</div>").ToString();
    }

    private static IReadOnlyList<ChartLine> Lines(MetricSeries metrics, IReadOnlyList<string> names) =>
        [.. names.Where(metrics.Metrics.ContainsKey).Select((name, i) => new ChartLine(name, Points(metrics, name), Colors[i % Colors.Length]))];

    private static List<(double X, double Y)> Points(MetricSeries metrics, string name) =>
        metrics.Metrics.TryGetValue(name, out var column)
            ? [.. metrics.Steps.Select((s, i) => (X: (double)s, Y: column[i])).Where(p => p.Y.HasValue).Select(p => (p.X, p.Y!.Value))]
            : [];

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
