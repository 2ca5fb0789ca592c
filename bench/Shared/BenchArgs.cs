using System.Globalization;

namespace Harness.Bench;

/// <summary>A benchmark's command line: <c>--name value</c> pairs, each with its default.</summary>
public sealed class BenchArgs(string[] args)
{
    public string Text(string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public int Number(string name, int fallback) =>
        int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
