using System.Diagnostics;
using System.Globalization;
using Harness.Hosting;
using Harness.Runs;
using Harness.Training;

namespace Harness.Commands;

/// <summary>
/// A one-line progress bar on stderr: step, reward, completion length, self-verify rate, tokens/s and time
/// left. On a terminal the line is redrawn in place; in a log each step gets its own line.
/// </summary>
public sealed class RunProgress(Terminal terminal, bool interactive) : IRunObserver
{
    private const int BarWidth = 20;
    private readonly Stopwatch _clock = new();
    private int _first;
    private bool _lineOpen;

    public void Starting(RunDirectory run, int firstStep, int lastStep, string device)
    {
        _first = firstStep;
        _clock.Restart();
        Line($"run {run.Root} on {device}: steps {firstStep}–{lastStep}", newline: true);
    }

    public void StepDone(StepMetrics metrics, int lastStep)
    {
        var step = metrics.Step;
        var done = step - _first + 1;
        var left = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / done * (lastStep - step));
        var filled = (int)Math.Round(BarWidth * step / (double)lastStep);
        var text =
            $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] step {step}/{lastStep}  reward {F(metrics["reward_mean"])}  " +
            $"length {F(metrics["completion_length_mean"], "F1")}  self-verify {F(metrics["self_verify_rate"])}  " +
            $"{F(metrics["tokens_per_s"], "F0")} tok/s  left {left:mm\\:ss}" +
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
