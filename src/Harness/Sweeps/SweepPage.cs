using System.Globalization;
using System.Net;
using System.Text;
using Harness.Reports;

namespace Harness.Sweeps;

/// <summary>
/// A sweep's comparison as one HTML page in the report's style, self-contained (inline SVG, no script, nothing fetched):
/// the verdict counts, the end-of-run measures with their intervals, each variant against the first with the test's p
/// (beyond seed noise marked), every curve with each variant's seed band, and every run.
/// </summary>
public static class SweepPage
{
    public static string Render(SweepSummary summary)
    {
        var html = new StringBuilder(HtmlReport.Head($"Sweep: {Path.GetFileNameWithoutExtension(summary.Experiment)}"));
        html.Append("<h1>Sweep: ").Append(E(Path.GetFileNameWithoutExtension(summary.Experiment))).Append("</h1>")
            .Append(Invariant($"<p>{summary.Variants.Count} variants × {summary.Seeds.Count} seeds ({string.Join(", ", summary.Seeds)}) of <code>{E(summary.Experiment)}</code>. "))
            .Append(Invariant($"Verdicts by <code>{E(summary.Detector)}</code>; intervals are 95 % bootstrap intervals over seeds; a difference is beyond seed noise when the permutation test's p &lt; {summary.Alpha}.</p>"));

        var verdicts = summary.Variants.SelectMany(v => v.Verdicts.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        html.Append("<h2>Verdicts</h2><table id=\"verdicts\"><tr><th>variant</th><th>overrides</th><th>finished</th>");
        foreach (var verdict in verdicts) html.Append("<th>").Append(E(verdict)).Append("</th>");
        html.Append("<th>aha step</th></tr>");
        foreach (var v in summary.Variants)
        {
            html.Append("<tr><td>").Append(E(v.Name)).Append("</td><td><code>").Append(E(string.Join(" ", v.Set))).Append("</code></td>")
                .Append(Invariant($"<td>{v.Finished}</td>"));
            foreach (var verdict in verdicts) html.Append(Invariant($"<td>{v.Verdicts.GetValueOrDefault(verdict)}</td>"));
            html.Append("<td>").Append(Interval(v.AhaStep, "F0")).Append("</td></tr>");
        }
        html.Append("</table>");

        var measures = summary.Variants.SelectMany(v => v.Final.Keys).Distinct().ToArray();
        html.Append("<h2>At the end of the runs</h2><table id=\"final\"><tr><th>measure</th>");
        foreach (var v in summary.Variants) html.Append("<th>").Append(E(v.Name)).Append("</th>");
        html.Append("</tr>");
        foreach (var m in measures)
        {
            html.Append("<tr><td>").Append(E(m)).Append("</td>");
            foreach (var v in summary.Variants) html.Append("<td>").Append(Interval(v.Final.GetValueOrDefault(m), "G4")).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</table>");

        html.Append("<h2>Against the first variant</h2>");
        if (summary.Comparisons.Count == 0) html.Append("<p>One variant: nothing to compare.</p>");
        else
        {
            html.Append("<table id=\"comparisons\"><tr><th>variant</th><th>measure</th><th>difference</th><th>p</th><th></th></tr>");
            foreach (var c in summary.Comparisons)
                html.Append(c.BeyondNoise ? "<tr class=\"beyond\">" : "<tr>").Append("<td>").Append(E(c.Variant)).Append("</td><td>").Append(E(c.Measure)).Append("</td>")
                    .Append("<td>").Append(c.Difference is { } d ? Number(d, "G4") : "–").Append("</td><td>").Append(c.PValue is { } p ? Number(p, "G3") : "–").Append("</td>")
                    .Append("<td>").Append(c.BeyondNoise ? "beyond seed noise" : "within seed noise").Append("</td></tr>");
            html.Append("</table>");
        }

        var colors = HtmlReport.Palette;
        foreach (var metric in summary.Variants.SelectMany(v => v.Curves.Keys).Distinct())
        {
            var lines = summary.Variants.Select((v, i) => v.Curves.GetValueOrDefault(metric) is { Count: > 0 } points
                ? new ChartLine(v.Name, [.. points.Select(p => ((double)p.Step, p.Mean))], colors[i % colors.Count]) { Band = [.. points.Select(p => ((double)p.Step, p.Min, p.Max))] }
                : null).OfType<ChartLine>().ToArray();
            html.Append("<h2>").Append(E(metric)).Append("</h2><p>The mean over seeds, shaded from the lowest seed to the highest.</p>")
                .Append(SvgChart.Lines($"curve-{Slug(metric)}", lines, metric));
        }

        html.Append("<h2>Runs</h2><table id=\"runs\"><tr><th>variant</th><th>seed</th><th>status</th><th>verdict</th><th>aha step</th><th>run directory</th></tr>");
        foreach (var r in summary.Runs)
            html.Append("<tr><td>").Append(E(r.Variant)).Append(Invariant($"</td><td>{r.Seed}</td><td>")).Append(E(r.Status)).Append("</td><td>").Append(E(r.Verdict ?? "–"))
                .Append("</td><td>").Append(r.AhaStep is { } s ? Number(s, "F0") : "–").Append("</td><td><code>").Append(E(r.Directory)).Append("</code></td></tr>");
        return html.Append("</table></body></html>").ToString();
    }

    private static string Interval(Estimate? e, string format) => e is null ? "–" : E(e.Format(format)) + (e.N == 1 ? " (1 seed)" : "");

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Slug(string metric) => new([.. metric.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
