using System.Globalization;
using System.Net;
using System.Text;

namespace Harness.Reports;

/// <summary>One line of a chart: its name, points and colour.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<(double X, double Y)> Points, string Color)
{
    /// <summary>A shaded band around the line (e.g. the min–max over seeds), drawn beneath it; null for none.</summary>
    public IReadOnlyList<(double X, double Low, double High)>? Band { get; init; }
}

/// <summary>A shaded stretch of the x axis with a label, e.g. the aha window.</summary>
public sealed record ChartWindow(double From, double To, string Label);

/// <summary>
/// A line chart as inline SVG, drawn by the harness itself so the report needs nothing from outside: axes with
/// ticks, one polyline per line, dots where a line has few points, an optional shaded window and a legend.
/// </summary>
public static class SvgChart
{
    private const int Width = 960, Height = 320, Left = 56, Right = 16, Top = 16, Bottom = 40;

    public static string Lines(string id, IReadOnlyList<ChartLine> lines, string yLabel, ChartWindow? window = null, (double Min, double Max)? yRange = null)
    {
        var points = lines.SelectMany(l => l.Points.Concat((l.Band ?? []).SelectMany(b => new (double X, double Y)[] { (b.X, b.Low), (b.X, b.High) }))).ToArray();
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height + 24 * ((lines.Count + 2) / 3)}\" role=\"img\">"));
        if (points.Length == 0)
        {
            svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no data</text></svg>"));
            return svg.ToString();
        }
        var (xMin, xMax) = (points.Min(p => p.X), points.Max(p => p.X));
        var (yMin, yMax) = yRange ?? (Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        if (xMax <= xMin) xMax = xMin + 1;
        if (yMax <= yMin) yMax = yMin + 1;
        double X(double x) => Left + (x - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Y(double y) => Top + (1 - (y - yMin) / (yMax - yMin)) * (Height - Top - Bottom);

        if (window is { } w)
            svg.Append(Invariant($"<rect class=\"window\" x=\"{X(w.From):F1}\" y=\"{Top}\" width=\"{Math.Max(2, X(w.To) - X(w.From)):F1}\" height=\"{Height - Top - Bottom}\" fill=\"#fde68a\" opacity=\"0.6\"><title>{Encode(w.Label)}</title></rect>"))
               .Append(Invariant($"<text x=\"{X(w.From) + 4:F1}\" y=\"{Top + 14}\" font-size=\"12\">{Encode(w.Label)}</text>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>"))
           .Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>"));
        for (var i = 0; i <= 5; i++)
        {
            var xv = xMin + (xMax - xMin) * i / 5;
            var yv = yMin + (yMax - yMin) * i / 5;
            svg.Append(Invariant($"<text x=\"{X(xv):F1}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\">{(xMax - xMin >= 5 ? Math.Round(xv) : xv):0.##}</text>"))
               .Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Y(yv) + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{yv:0.###}</text>"))
               .Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(yv):F1}\" x2=\"{Width - Right}\" y2=\"{Y(yv):F1}\" stroke=\"#eee\"/>"));
        }
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"{Height - 6}\" font-size=\"12\" text-anchor=\"middle\">step</text>"))
           .Append(Invariant($"<text x=\"14\" y=\"{Height / 2}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Height / 2})\">{Encode(yLabel)}</text>"));
        foreach (var line in lines.Where(l => l.Band is { Count: > 0 }))
        {
            var outline = line.Band!.Select(b => Invariant($"{X(b.X):F1},{Y(b.High):F1}")).Concat(line.Band!.Reverse().Select(b => Invariant($"{X(b.X):F1},{Y(b.Low):F1}")));
            svg.Append(Invariant($"<polygon class=\"band\" data-name=\"{Encode(line.Name)}\" fill=\"{line.Color}\" opacity=\"0.18\" stroke=\"none\" points=\"{string.Join(" ", outline)}\"/>"));
        }
        foreach (var line in lines.Where(l => l.Points.Count > 0))
        {
            var path = string.Join(" ", line.Points.Select(p => Invariant($"{X(p.X):F1},{Y(p.Y):F1}")));
            svg.Append(Invariant($"<polyline class=\"series\" data-name=\"{Encode(line.Name)}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"2\" points=\"{path}\"/>"));
            if (line.Points.Count <= 40)
                foreach (var p in line.Points)
                    svg.Append(Invariant($"<circle cx=\"{X(p.X):F1}\" cy=\"{Y(p.Y):F1}\" r=\"3\" fill=\"{line.Color}\"/>"));
        }
        for (var i = 0; i < lines.Count; i++)
        {
            var (lx, ly) = (Left + i % 3 * 300, Height + 8 + i / 3 * 24);
            svg.Append(Invariant($"<rect x=\"{lx}\" y=\"{ly}\" width=\"14\" height=\"14\" fill=\"{lines[i].Color}\"/>"))
               .Append(Invariant($"<text x=\"{lx + 20}\" y=\"{ly + 12}\" font-size=\"12\">{Encode(lines[i].Name)}</text>"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A heatmap: one row per label, one column per step interval, shaded by value in [0, max].</summary>
    public static string Heatmap(string id, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values)
    {
        const int cellWidth = 72, cellHeight = 24, labelWidth = 120;
        var max = Math.Max(1e-9, values.Cast<double>().DefaultIfEmpty(0).Max());
        var svg = new StringBuilder(Invariant(
            $"<svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {labelWidth + cellWidth * columns.Count + 8} {cellHeight * (rows.Count + 1) + 8}\" role=\"img\">"));
        for (var c = 0; c < columns.Count; c++)
            svg.Append(Invariant($"<text x=\"{labelWidth + c * cellWidth + cellWidth / 2}\" y=\"16\" font-size=\"11\" text-anchor=\"middle\">{Encode(columns[c])}</text>"));
        for (var r = 0; r < rows.Count; r++)
        {
            var y = cellHeight * (r + 1);
            svg.Append(Invariant($"<text x=\"{labelWidth - 6}\" y=\"{y + 16}\" font-size=\"12\" text-anchor=\"end\">{Encode(rows[r])}</text>"));
            for (var c = 0; c < columns.Count; c++)
            {
                var v = values[r, c];
                var shade = (int)Math.Round(255 * (1 - v / max));
                svg.Append(Invariant($"<rect class=\"cell\" x=\"{labelWidth + c * cellWidth}\" y=\"{y}\" width=\"{cellWidth - 2}\" height=\"{cellHeight - 2}\" fill=\"rgb({shade},{shade},255)\"><title>{Encode(rows[r])} {Encode(columns[c])}: {v:F3}</title></rect>"))
                   .Append(Invariant($"<text x=\"{labelWidth + c * cellWidth + cellWidth / 2}\" y=\"{y + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{(v > max / 2 ? "#fff" : "#111")}\">{v:F2}</text>"));
            }
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
