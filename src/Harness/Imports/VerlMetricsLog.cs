using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Runs;

namespace Harness.Imports;

/// <summary>
/// A verl run's per-step metrics as its loggers write them (verl/utils/tracking.py): the <c>file</c> backend's JSON
/// Lines, one <c>{"step": N, "data": {key: value}}</c> per logged step, and the <c>console</c> backend's lines,
/// <c>step:N - key:value - key:value</c> (verl/utils/logger/aggregate_logger.py: numbers only, <c>repr</c>-formatted; a Ray
/// prefix such as <c>(TaskRunner pid=1)</c> allowed). Keys are verl's (verl/trainer/ppo/metric_utils.py), named as ours where
/// <see cref="MetricNames"/> maps them.
/// </summary>
public static partial class VerlMetricsLog
{
    /// <summary>Whether a file's first record is a file-logger record.</summary>
    public static bool LooksLikeFileLog(string file) => JsonLines.First(file) is { } r && IsFileRecord(r);

    /// <summary>Whether a file has a console-logger line among its first lines.</summary>
    public static bool LooksLikeConsoleLog(string file) => JsonLines.Head(file).Any(l => ConsoleLine().IsMatch(l.TrimEnd('\r')));

    /// <summary>The metrics of a file-logger JSON Lines file; a torn last line is dropped, any other bad line named.</summary>
    public static ImportedSeries ReadFileLog(string file)
    {
        var series = new ImportedSeries(MetricNames.Verl);
        foreach (var (lineNumber, record) in JsonlLog.Records(file, TrainerJson.Standard))
        {
            if (!IsFileRecord(record) || !record.GetProperty("step").TryGetInt32(out var step))
                throw new HarnessException($"{file}, line {lineNumber}: not a verl file-logger record ({{\"step\": N, \"data\": {{...}}}}).");
            foreach (var property in record.GetProperty("data").EnumerateObject())
                if (property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null)
                    series.Add(step, property.Name, property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetDouble() : null);
        }
        return series;
    }

    /// <summary>The metrics of a console log; other lines (progress bars, prints) are skipped.</summary>
    public static ImportedSeries ReadConsoleLog(string file)
    {
        var series = new ImportedSeries(MetricNames.Verl);
        foreach (var line in File.ReadLines(file))
        {
            var match = ConsoleLine().Match(line);
            if (!match.Success) continue;
            var step = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            foreach (var pair in match.Groups[2].Value.Split(" - "))
            {
                // Keys hold '/' and '@' but no ':'; a value is a number, nan or inf.
                var colon = pair.LastIndexOf(':');
                if (colon <= 0) continue;
                // numpy 2 prints its scalars as np.float64(0.5).
                var text = NumpyScalar().Replace(pair[(colon + 1)..].Trim(), "$1");
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    series.Add(step, pair[..colon].Trim(), value);
                else if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
                    series.Add(step, pair[..colon].Trim(), null);
            }
        }
        return series;
    }

    private static bool IsFileRecord(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("step", out var step) && step.ValueKind == JsonValueKind.Number
        && record.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object;

    [GeneratedRegex(@"^(?:\([^)]*\)\s+)?step:(\d+) - (.*)$")]
    private static partial Regex ConsoleLine();

    [GeneratedRegex(@"^np\.\w+\((.*)\)$")]
    private static partial Regex NumpyScalar();
}
