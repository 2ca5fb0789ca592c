using System.Diagnostics;
using System.IO.Compression;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>Headless Chromium (Debian's chromium package; .ci/run installs it): the DOM after rendering, and a screenshot.</summary>
public static class Chromium
{
    public static string DumpDom(string file) => Run("--dump-dom", $"file://{file}").Output;

    /// <summary>Renders the page to a PNG and returns the inflated image data (filter bytes and pixels).</summary>
    public static byte[] ScreenshotPixels(string file, string png)
    {
        var result = Run($"--screenshot={png}", "--window-size=1100,2400", $"file://{file}");
        if (!File.Exists(png)) throw new InvalidOperationException("chromium wrote no screenshot: " + result.Error);
        return InflatedImageData(File.ReadAllBytes(png));
    }

    private static (string Output, string Error) Run(params string[] args)
    {
        var executable = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: `apt-get install chromium` (.ci/run does).");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Root in a container has no user namespace for the sandbox; the page is our own file.
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars" }.Concat(args)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 2 minutes");
        }
        return (output.Result, error.Result);
    }

    /// <summary>The concatenated IDAT chunks of a PNG, inflated.</summary>
    private static byte[] InflatedImageData(byte[] png)
    {
        using var idat = new MemoryStream();
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            if (type == "IDAT") idat.Write(png, at + 8, length);
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflate = new ZLibStream(idat, CompressionMode.Decompress);
        using var pixels = new MemoryStream();
        inflate.CopyTo(pixels);
        return pixels.ToArray();
    }
}
