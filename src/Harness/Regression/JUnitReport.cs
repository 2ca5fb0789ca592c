using System.Globalization;
using System.Xml.Linq;

namespace Harness.Regression;

/// <summary>The comparison as JUnit XML, one test case per metric, for CI systems that show test reports.</summary>
public static class JUnitReport
{
    public static void Write(string path, string suite, IReadOnlyList<MetricCheck> checks, double seconds)
    {
        var failures = checks.Count(c => !c.Passed);
        var document = new XDocument(new XElement("testsuites",
            new XElement("testsuite",
                new XAttribute("name", suite), new XAttribute("tests", checks.Count), new XAttribute("failures", failures),
                new XAttribute("errors", 0), new XAttribute("time", seconds.ToString("0.###", CultureInfo.InvariantCulture)),
                checks.Select(c => new XElement("testcase",
                    new XAttribute("classname", suite), new XAttribute("name", $"{c.Metric.Name}@{c.Step}"),
                    c.Passed ? null : new XElement("failure", new XAttribute("message", c.Describe()), c.Describe()))))));
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        document.Save(partial);
        File.Move(partial, full, overwrite: true);
    }
}
