using System.Diagnostics;
using System.Text.Json;

namespace Harness.Bench;

/// <summary>Runs bench/python/grpo_step.py (Debian's PyTorch) on the same model and work, and reads its JSON.</summary>
public static class PythonPeer
{
    public static JsonElement? Run(string python, string script, int threads, int repeats, Action<string> note)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "--threads", $"{threads}", "--warmup", "1", "--repeats", $"{repeats}" }) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                note($"python peer failed (exit {process.ExitCode}): {error.Trim()}");
                return null;
            }
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            note($"{python} not found ({e.Message}); run bench/python/setup.sh first");
            return null;
        }
    }
}
