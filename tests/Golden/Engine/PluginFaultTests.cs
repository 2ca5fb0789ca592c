using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Runs;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// A plugin of each kind that throws, runs past its time limit, or returns the wrong shape at step 3: the run
/// stops with an error naming the plugin and the call, records it in errors.jsonl, and keeps steps 1–2 and
/// their checkpoint.
/// </summary>
[Collection(TorchCollection.Name)]
public class PluginFaultTests
{
    // Each test plugin misbehaves from step 3 on; before that it answers correctly. A hanging call sleeps past
    // the 0.5 s limit its config entry sets, then returns (the engine has stopped waiting by then).
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using Harness.Abstractions;
        [assembly: HarnessContract(ContractVersion.Current)]
        static class Fault
        {
            public static void Maybe(string fault) { if (fault == "throws") throw new InvalidOperationException("boom"); if (fault == "hangs") Thread.Sleep(3000); }
        }
        """;

    private static string Source(string kind, string fault, int detectorStep = 3) => Prelude + kind switch
    {
        // Training groups have 8 completions; steps 1 and 2 score 8 groups each.
        "reward" => $$"""
            [Plugin("faulty")]
            public sealed class Faulty : IReward
            {
                private int _groups;
                public IReadOnlyList<RewardTerm> Score(PromptGroup group)
                {
                    var values = group.Completions.Select(_ => 0.0).ToArray();
                    if (group.Completions.Count != 8 || ++_groups <= 16) return new[] { new RewardTerm("faulty", values) };
                    Fault.Maybe("{{fault}}");
                    return new[] { new RewardTerm("faulty", values.Skip(1).ToArray()) };
                }
            }
            """,
        "detector" => $$"""
            [Plugin("faulty")]
            public sealed class Faulty : IDetector
            {
                public DetectorReport Detect(DetectorInput step)
                {
                    var findings = step.Completions.Select(_ => new CompletionFindings(new string[0], new Dictionary<string, double>())).ToArray();
                    if (step.Step != {{detectorStep}}) return new DetectorReport(findings, new Dictionary<string, double>());
                    Fault.Maybe("{{fault}}");
                    return new DetectorReport(findings.Skip(1).ToArray(), new Dictionary<string, double>());
                }
            }
            """,
        "series-detector" => $$"""
            [Plugin("faulty")]
            public sealed class Faulty : ISeriesDetector
            {
                public SeriesReport Analyze(MetricSeries series)
                {
                    if (series.Steps.LastOrDefault() != 3) return new SeriesReport("fine", new Dictionary<string, double>(), "");
                    Fault.Maybe("{{fault}}");
                    return new SeriesReport("", new Dictionary<string, double>(), "");
                }
            }
            """,
        "fix" => $$"""
            [Plugin("faulty")]
            public sealed class Faulty : IFixStrategy
            {
                public FixDecision? Review(StepReview review)
                {
                    if (review.Step != 3) return null;
                    Fault.Maybe("{{fault}}");
                    return new FixDecision(double.NaN, null, "no reason");
                }
            }
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static TheoryData<string, string, string> Faults => new()
    {
        { "reward", "throws", "Reward plugin 'faulty', Score on prompt \"What is" },
        { "reward", "hangs", "Reward plugin 'faulty', Score on prompt \"What is" },
        { "reward", "wrong", "term 'faulty' has 7 values for 8 completions." },
        { "detector", "throws", "Detector plugin 'faulty', Detect at step 3: threw InvalidOperationException: boom." },
        { "detector", "hangs", "Detector plugin 'faulty', Detect at step 3: no answer within its time limit of 0.5 s" },
        { "detector", "wrong", "Detector plugin 'faulty', Detect at step 3: returned findings for 63 completions, not 64." },
        { "series-detector", "throws", "Series-detector plugin 'faulty', Analyze after step 3: threw InvalidOperationException: boom." },
        { "series-detector", "hangs", "Series-detector plugin 'faulty', Analyze after step 3: no answer within its time limit of 0.5 s" },
        { "series-detector", "wrong", "Series-detector plugin 'faulty', Analyze after step 3: returned a report without a verdict or values." },
        { "fix", "throws", "Fix plugin 'faulty', Review after step 3: threw InvalidOperationException: boom." },
        { "fix", "hangs", "Fix plugin 'faulty', Review after step 3: no answer within its time limit of 0.5 s" },
        { "fix", "wrong", "Fix plugin 'faulty', Review after step 3: asked for learning rate NaN; it must be a positive number." },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_faulty_plugin_call_stops_the_run_naming_plugin_and_call_and_the_run_keeps_what_it_wrote(string kind, string fault, string message)
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TestPluginCompiler.Compile(plugins, "Test.Faulty", Source(kind, fault));
        var entry = new JsonObject { ["name"] = "faulty", ["timeLimitSeconds"] = 0.5 };
        var list = kind switch { "reward" => "rewards", "fix" => "fixes", _ => "detectors" };
        var config = new JsonObject
        {
            ["extends"] = Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json"),
            ["pluginDirectories"] = new JsonArray(plugins),
            ["run"] = new JsonObject { ["steps"] = 5, ["checkpointEvery"] = 2 },
            // Lists merge by index: the faulty plugin joins the two the experiment names.
            [list] = list == "fixes" ? new JsonArray(entry) : new JsonArray(new JsonObject(), new JsonObject(), entry),
        };
        var experiment = dir.File("faulty.json", config.ToJsonString());
        var run = Path.Combine(dir.Path, "run");

        var result = HarnessRunner.Run(["run", experiment, "--out", run]);

        Assert.Equal(2, result.ExitCode);
        Assert.True(result.Error.Contains(message), result.Error);
        Assert.Contains("The run stopped after step 2; steps 1–2 are kept, newest checkpoint step-000002", result.Error);
        Assert.Equal([1, 2], File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
        Assert.Equal(2, Assert.Single(Checkpoint.List(Path.Combine(run, "checkpoints"))).Step);
        var error = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(run, "errors.jsonl")))).RootElement;
        Assert.Equal((2, "faulty", kind), (error.GetProperty("after_step").GetInt32(), error.GetProperty("plugin").GetString(), error.GetProperty("kind").GetString()));
        // What was written is intact and usable: the run resumes from its checkpoint (and faults again at step 3).
        var resumed = HarnessRunner.Run(["resume", run]);
        Assert.Equal(2, resumed.ExitCode);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "errors.jsonl")).Length);
    }

    [Fact]
    public void A_fault_before_the_first_step_is_recorded_too()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        // Step 0 is the comparator's probe, before training: the detectors read it too.
        TestPluginCompiler.Compile(plugins, "Test.Faulty", Source("detector", "throws", detectorStep: 0));
        var experiment = dir.File("faulty.json", new JsonObject
        {
            ["extends"] = Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json"),
            ["pluginDirectories"] = new JsonArray(plugins),
            ["detectors"] = new JsonArray(new JsonObject(), new JsonObject(), new JsonObject { ["name"] = "faulty" }),
        }.ToJsonString());
        var run = Path.Combine(dir.Path, "run");

        var result = HarnessRunner.Run(["run", experiment, "--out", run]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Detector plugin 'faulty', Detect on the probe at step 0: threw InvalidOperationException: boom. The run stopped after step 0; no step was completed", result.Error);
        Assert.Equal(0, JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(run, "errors.jsonl")))).RootElement.GetProperty("after_step").GetInt32());
        Assert.True(File.Exists(Path.Combine(run, "manifest.json")));
    }

    [Fact]
    public void Time_limits_are_checked_and_refused_where_a_call_cannot_be_limited()
    {
        var shapeBandit = Path.Combine(RepoRoot.Path, "experiments", "shape-bandit.json");

        var negative = HarnessRunner.Run(["check", shapeBandit, "--set", "rewards.0.timeLimitSeconds=-1", "--set", "run.pluginTimeLimitSeconds=3e6"]);
        var policy = HarnessRunner.Run(["check", shapeBandit, "--set", "policy.timeLimitSeconds=5"]);
        var samplingFix = HarnessRunner.Run(["check", shapeBandit, "--set", "fixes.0.name=repetition-penalty", "--set", "fixes.0.timeLimitSeconds=1"]);

        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("rewards[0].timeLimitSeconds must be from 0 (no limit) to 1000000 (got -1)", negative.Error);
        Assert.Contains("run.pluginTimeLimitSeconds must be from 0 (no limit) to 1000000 (got 3000000)", negative.Error);
        Assert.Equal(2, policy.ExitCode);
        Assert.Contains("policy.timeLimitSeconds is not supported: policy calls run on the training thread", policy.Error);
        Assert.Equal(2, samplingFix.ExitCode);
        Assert.Contains("Sampling fix 'repetition-penalty' cannot take timeLimitSeconds", samplingFix.Error);
    }
}
