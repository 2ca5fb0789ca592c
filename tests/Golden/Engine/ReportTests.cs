using System.Text.Json.Nodes;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>The HTML report of a real (shape-bandit) run, rendered by headless Chromium.</summary>
[Collection(TorchCollection.Name)]
public class ReportTests
{
    [Fact]
    public void The_report_is_self_contained_and_chromium_draws_its_charts()
    {
        using var dir = new TempDirectory();
        var config = dir.File("bandit.json", new JsonObject
        {
            ["name"] = "bandit-report",
            ["device"] = "cpu",
            ["policy"] = new JsonObject { ["name"] = "shape-bandit" },
            ["rewards"] = new JsonArray(new JsonObject { ["name"] = "accuracy" }, new JsonObject { ["name"] = "format" }),
            ["detectors"] = new JsonArray(new JsonObject { ["name"] = "self-verification" }, new JsonObject { ["name"] = "aha-moment" }),
            ["optimizer"] = new JsonObject { ["learningRate"] = 0.05 },
            ["tasks"] = new JsonObject { ["evalSize"] = 16 },
            ["run"] = new JsonObject { ["steps"] = 30, ["checkpointEvery"] = 10, ["evalEvery"] = 5 },
        }.ToJsonString());
        var run = Path.Combine(dir.Path, "run");
        Assert.Equal(0, HarnessRunner.Run(["run", config, "--out", run]).ExitCode);
        var written = Path.Combine(run, "report.html");
        var html = File.ReadAllText(written);

        var result = HarnessRunner.Run(["report", run, "--out", Path.Combine(dir.Path, "again.html")]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(html, File.ReadAllText(Path.Combine(dir.Path, "again.html")));
        // Self-contained: nothing is fetched.
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);

        var dom = Chromium.DumpDom(written);
        foreach (var id in new[] { "curves", "pass1", "phrases", "rewards" })
            Assert.Contains($"<svg id=\"{id}\"", dom);
        Assert.Equal(3, Count(dom, "class=\"series\"", "id=\"curves\"", "id=\"pass1\""));
        Assert.True(Count(dom, "class=\"cell\"", "id=\"phrases\"", "id=\"rewards\"") >= 8 * 10 - 1);
        Assert.Contains("id=\"comparator\"", dom);
        Assert.Contains("<mark title=\"wait\">Wait</mark>", dom);
        Assert.Contains("<p id=\"verdict\"><span class=\"verdict", dom);
        Assert.Contains("aha-moment: ", dom);
        Assert.Contains("\"sha256\"", dom);
        // The doctor's table: one row per failure mode; this run logs no format-hacking detector.
        Assert.Equal(5, Count(dom, "<tr><td>", "id=\"doctor\"", "</table>"));
        Assert.Contains("add the detector 'format-hacking'", dom);

        var pixels = Chromium.ScreenshotPixels(written, Path.Combine(dir.Path, "report.png"));
        Assert.True(pixels.Distinct().Count() > 100, "the screenshot is blank or nearly so");
    }

    /// <summary>How often <paramref name="what"/> occurs between two markers of the page.</summary>
    private static int Count(string text, string what, string from, string to)
    {
        var start = text.IndexOf(from, StringComparison.Ordinal);
        var end = text.IndexOf(to, start, StringComparison.Ordinal);
        var part = text[start..end];
        var count = 0;
        for (var at = part.IndexOf(what, StringComparison.Ordinal); at >= 0; at = part.IndexOf(what, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
