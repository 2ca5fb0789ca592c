using System.Text.RegularExpressions;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>
/// The README's first screen gives two commands, the main job and the tests, that work on a fresh machine with only
/// the .NET SDK; CI (.ci/run) runs exactly those two.
/// </summary>
public partial class ReadmeCommandTests
{
    [Fact]
    public void The_readme_gives_the_main_job_and_a_test_command_that_installs_what_the_tests_need_and_ci_runs_both()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var ci = File.ReadAllText(Path.Combine(RepoRoot.Path, ".ci", "run"));
        var build = File.ReadAllText(Path.Combine(RepoRoot.Path, "build.sh"));

        var commands = BashBlock().Matches(readme).Take(2).Select(m => m.Groups[1].Value.Trim()).ToArray();

        Assert.Equal(["dotnet run --project src/Harness -- run experiments/aha-addition.json", "./build.sh test"], commands);
        Assert.All(commands, command => Assert.Contains(command, ci));
        // The test command brings the report test's browser before it runs the suite, so a fresh machine passes.
        var test = build[build.IndexOf("    test)", StringComparison.Ordinal)..];
        Assert.True(test.IndexOf("install_chromium", StringComparison.Ordinal) < test.IndexOf("exec dotnet test Harness.sln", StringComparison.Ordinal));
        Assert.Contains("apt-get install -y -qq chromium", build);
    }

    [GeneratedRegex("```bash\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
