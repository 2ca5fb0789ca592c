using Harness.Abstractions;
using Harness.Runs;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>The run directory's files: one typed record each, written and read through one JSON context.</summary>
public class RunFilesTests
{
    private static readonly CompletionRecord Completion = new(3, 1, "What is 17 + 26?", "<think>17 + 26 = 43. Wait, «é» +</think><answer>43</answer>", 52, false, 1.1,
        new Dictionary<string, double> { ["accuracy"] = 1, ["format"] = 0.1 }, 0.75, ["wait", "self-verify"]);

    [Fact]
    public void Every_record_reads_back_as_written_and_lines_keep_plain_characters()
    {
        var metrics = new StepMetrics(3).Set("reward_mean", 0.6).Set("kl", null).Set("self_verify_rate", 0.125);
        var fix = new RunEvent(4, RunEvent.Fix, "plateau-guard") { Reason = "fell", LearningRate = 1e-5, Beta = 0.02 };
        var verdict = new RunEvent(5, RunEvent.Verdict, "aha-moment") { NewVerdict = "aha", Since = 3, Previous = "no-aha", PreviousHeld = 2, Explanation = "bent", Values = new Dictionary<string, double> { ["aha_step"] = 5 } };
        var interrupted = new RunEvent(6, RunEvent.Interrupted, "harness") { Signal = "SIGTERM", Completed = 6, Checkpoint = "step-000006", Seconds = 0.25 };
        var probe = new ProbeRecord(0, "What is 17 + 26?", "43", [new ProbeCompletion("Wait", true, 0.1, ["wait"], [new FindingSpan(0, 4, "wait")])]);
        using var dir = new TempDirectory();
        var file = dir.File("lines.jsonl", string.Join('\n', RunFile.Line(Completion), RunFile.Line(metrics)) + "\n");

        var completionLine = RunFile.Line(Completion);
        Assert.StartsWith("{\"step\":3,\"group\":1,\"prompt\":\"What is 17 + 26?\",\"completion\":\"<think>17 + 26 = 43. Wait, «é» +</think>", completionLine);
        Assert.Contains("\"tokens\":52,", completionLine);
        Assert.Equal("{\"step\":3,\"reward_mean\":0.6,\"kl\":null,\"self_verify_rate\":0.125}", RunFile.Line(metrics));
        Assert.Equal("{\"step\":4,\"kind\":\"fix\",\"plugin\":\"plateau-guard\",\"reason\":\"fell\",\"learning_rate\":1E-05,\"beta\":0.02}", RunFile.Line(fix));
        Assert.Equal("{\"step\":5,\"kind\":\"verdict\",\"plugin\":\"aha-moment\",\"verdict\":\"aha\",\"since\":3,\"previous\":\"no-aha\",\"previous_held\":2,\"explanation\":\"bent\",\"values\":{\"aha_step\":5}}", RunFile.Line(verdict));
        Assert.Equal("{\"step\":6,\"kind\":\"interrupted\",\"plugin\":\"harness\",\"signal\":\"SIGTERM\",\"completed\":6,\"abandoned\":null,\"checkpoint\":\"step-000006\",\"seconds\":0.25}", RunFile.Line(interrupted));
        var read = RunFile.Records<CompletionRecord>(file).First();
        Assert.Equal((Completion.Completion, Completion.TokenCount, Completion.Advantage), (read.Completion, read.TokenCount, read.Advantage));
        Assert.Equal(Completion.Terms, read.Terms);
        Assert.Equal(Completion.Flags, read.Flags);
        var probeBack = RunFile.Records<ProbeRecord>(dir.File("probes.jsonl", RunFile.Line(probe) + "\n")).Single();
        Assert.Equal(probe.Completions[0].Spans, probeBack.Completions[0].Spans);
        var events = RunFile.Records<RunEvent>(dir.File("events.jsonl", string.Join("\n", RunFile.Line(fix), RunFile.Line(verdict), RunFile.Line(interrupted)) + "\n")).ToArray();
        Assert.Equal([fix.Reason, null, null], events.Select(e => e.Reason));
        Assert.Equal(5, events[1].Values!["aha_step"]);
        Assert.Equal((3, 2), (events[1].Since, events[1].PreviousHeld));
        Assert.Equal(("SIGTERM", 6, null, "step-000006", 0.25), (events[2].Signal, events[2].Completed, events[2].Abandoned, events[2].Checkpoint, events[2].Seconds));
    }

    [Fact]
    public void A_torn_last_line_is_dropped_in_every_log_and_the_read_model_still_loads()
    {
        using var dir = new TempDirectory();
        dir.File("metrics.jsonl", "{\"step\":1,\"self_verify_rate\":0.1}\n{\"step\":2,\"self_verify_rate\":0.2}\n{\"step\":3,\"self_ver");
        dir.File("completions.jsonl", RunFile.Line(Completion) + "\n{\"step\":4,\"gro");
        dir.File("probes.jsonl", RunFile.Line(new ProbeRecord(0, "p", "1", [])) + "\n{\"step\":2,");
        dir.File("events.jsonl", "{\"step\":1,\"kind\":\"fix\",\"plugin\":\"x\",\"reason\":\"r\",\"learning_rate\":0.1,\"beta\":0}\n{\"ste");

        var run = LoadedRun.Open(dir.Path);

        Assert.Equal([1, 2], run.Metrics.Steps);
        Assert.Single(run.Completions());
        Assert.Single(run.Probes);
        Assert.Single(run.Events);
        Assert.Null(run.Config);
        Assert.Null(run.Manifest);
    }

    [Fact]
    public void A_broken_line_before_the_end_and_a_manifest_without_a_field_are_errors_naming_the_file()
    {
        using var dir = new TempDirectory();
        var metrics = dir.File("metrics.jsonl", "{\"step\":1}\n{\"step\":2,\n{\"step\":3}\n");
        var manifest = dir.File("manifest.json", "{\"experiment\":\"x\"}");

        var broken = Assert.Throws<HarnessException>(() => LoadedRun.Open(dir.Path));
        var partial = Assert.Throws<HarnessException>(() => RunFile.Read<ManifestRecord>(manifest, "run manifest"));

        Assert.StartsWith($"{metrics}, line 2: not JSON", broken.Message);
        Assert.StartsWith($"'{manifest}' is not a readable run manifest:", partial.Message);
        Assert.Contains("created", partial.Message);
    }
}
