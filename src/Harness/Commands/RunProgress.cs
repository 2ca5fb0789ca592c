using System.Diagnostics;
using System.Globalization;
using Harness.Abstractions;
using Harness.Runs;
using Harness.Training;

namespace Harness.Commands;

/// <summary>One value shown on the progress line: its label, the metric it reads and how to format it.</summary>
public sealed record ProgressColumn(string Label, string Metric, string Format = "F3");

/// <summary>
/// A one-line progress bar on stderr: the step, the chosen metrics, those the run's plugins declare for it, and the
/// time left. On a terminal the line is redrawn in place; in a log each reported step gets its own line.
/// </summary>
public sealed class RunProgress(Terminal terminal, IReadOnlyList<ProgressColumn> ownColumns) : IRunObserver
{
    private readonly bool interactive = terminal.Console.Profile.Capabilities.Interactive;

    /// <summary>What the engine's metrics show of a GRPO run: reward, length, throughput (then what the plugins declare).</summary>
    public static IReadOnlyList<ProgressColumn> Grpo { get; } =
        [new("reward", "reward_mean"), new("length", "completion_length_mean", "F1"), new("tok/s", "tokens_per_s", "F0")];

    private const int BarWidth = 20;
    private readonly Stopwatch _clock = new();
    private int _first;
    private IReadOnlyList<ProgressColumn> _columns = [];
    private bool _lineOpen;

    public void Starting(string what, int firstStep, int lastStep, IReadOnlyList<MetricInfo> shown)
    {
        _first = firstStep;
        _columns = [.. ownColumns, .. shown.Select(m => new ProgressColumn(m.Label, m.Name, m.Format))];
        _clock.Restart();
        Line($"{what}: steps {firstStep}–{lastStep}", newline: true);
    }

    public void StepDone(StepMetrics metrics, int lastStep)
    {
        var step = metrics.Step;
        var left = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / (step - _first + 1) * (lastStep - step));
        var filled = (int)Math.Round(BarWidth * step / (double)lastStep);
        var values = string.Join("  ", _columns.Select(c => $"{c.Label} {F(metrics[c.Metric], c.Format)}"));
        var text = $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] step {step}/{lastStep}  {values}  left {left:mm\\:ss}" +
            (metrics["pass1_hard"] is { } hard ? $"  pass@1 easy {F(metrics["pass1_easy"])} hard {F(hard)}" : "");
        Line(text, newline: !interactive || step == lastStep);
    }

    public void Note(string message) => Line(message, newline: true, above: true);

    private void Line(string text, bool newline, bool above = false)
    {
        if (above && _lineOpen) terminal.Error.WriteLine();
        terminal.Error.Write(interactive ? "\r" + text.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 200) : text.Length) : text);
        if (newline) terminal.Error.WriteLine();
        _lineOpen = !newline;
        terminal.Error.Flush();
    }

    private static string F(double? value, string format = "F3") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
