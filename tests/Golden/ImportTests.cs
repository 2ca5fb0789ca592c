using Harness.Imports;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>
/// Other trainers' runs read into the read model, from fixtures written in the trainers' own formats
/// (tests/Golden/Fixtures/Trainers: TRL 0.19 and 0.14 trainer_state.json, verl's file logger, console log and
/// rollout dumps).
/// </summary>
public class ImportTests
{
    private static string Fixture(params string[] parts) => Path.Combine([RepoRoot.Path, "tests", "Golden", "Fixtures", "Trainers", .. parts]);

    private static double? At(Abstractions.MetricSeries series, string metric, int step) =>
        series.Metrics[metric][series.Steps.ToList().IndexOf(step)];

    [Fact]
    public void A_trl_output_folder_reads_its_newest_checkpoint_with_our_names_and_the_eval_entry_merged()
    {
        var run = RunImport.Open(Fixture("trl-0.19"));

        Assert.Equal(RunFormat.Trl, RunImport.Detect(Fixture("trl-0.19")));
        Assert.Equal([1, 2, 3], run.Metrics.Steps);
        Assert.Equal(260.25, At(run.Metrics, "completion_length_mean", 3));
        Assert.Equal(0.5, At(run.Metrics, "reward/accuracy_reward_mean", 3));
        Assert.Equal(0.6, At(run.Metrics, "reward_mean", 3)!.Value, 12);
        Assert.Equal(0.125, At(run.Metrics, "clipped_ratio", 1));
        Assert.Equal(0.0, At(run.Metrics, "clip_fraction", 1));
        // Python's bare NaN is read as null; the evaluation entry of step 2 joins step 2's row; the totals are no step.
        Assert.Null(At(run.Metrics, "grad_norm", 2));
        Assert.Equal(0.4, At(run.Metrics, "eval_rewards/accuracy_reward/mean", 2));
        Assert.DoesNotContain("train_runtime", run.Metrics.Metrics.Keys);
        Assert.False(run.HasCompletions);
        Assert.Null(run.Config);
    }

    [Fact]
    public void Trl_0_14_keys_map_to_the_same_names()
    {
        var run = RunImport.Open(Fixture("trl-0.14", "checkpoint-2", "trainer_state.json"));

        Assert.Equal([180.0, 195.0], run.Metrics.Metrics["completion_length_mean"]);
        Assert.Equal([0.2, 0.3], run.Metrics.Metrics["reward/accuracy_reward_mean"]);
        Assert.Equal([0.0, 0.001], run.Metrics.Metrics["kl"]);
    }

    [Fact]
    public void A_verl_file_log_maps_names_takes_pass_at_1_from_its_held_out_set_and_drops_a_torn_last_line()
    {
        var run = RunImport.Open(Fixture("verl", "gsm8k-grpo.jsonl"));

        Assert.Equal([1, 2, 3, 4, 5], run.Metrics.Steps);
        Assert.Equal(400.0, At(run.Metrics, "completion_length_mean", 5));
        Assert.Equal(0.45, At(run.Metrics, "reward_mean", 5)!.Value, 12);
        Assert.Equal(0.002, At(run.Metrics, "clip_fraction", 1));
        Assert.Null(At(run.Metrics, "grad_norm", 3));
        Assert.Equal([0.62, null, null, null, 0.7], run.Metrics.Metrics[RunImport.PassAtOne].Select(v => v is { } x ? Math.Round(x, 6) : (double?)null));
    }

    [Fact]
    public void A_verl_console_log_with_ray_prefixes_and_numpy_scalars_reads_like_the_file_log()
    {
        var run = RunImport.Open(Fixture("verl", "console.log"));

        Assert.Equal([1, 2, 3], run.Metrics.Steps);
        Assert.Equal([310.5, 330.0, 355.25], run.Metrics.Metrics["completion_length_mean"]);
        Assert.Equal(0.52, At(run.Metrics, "entropy", 1));
        Assert.Null(At(run.Metrics, "grad_norm", 1));
        Assert.Equal([0.6, null, 0.7], run.Metrics.Metrics[RunImport.PassAtOne]);
    }

    [Fact]
    public void A_verl_folder_joins_its_metrics_log_and_its_rollout_dumps()
    {
        var run = RunImport.Open(Fixture("verl"));
        var completions = run.Completions().ToArray();

        Assert.Equal(RunFormat.Verl, RunImport.Detect(Fixture("verl")));
        Assert.Equal(5, run.Metrics.Steps.Count);
        Assert.True(run.HasCompletions);
        Assert.Equal([1, 1, 1, 2, 2, 2], completions.Select(c => c.Step));
        Assert.All(completions, c => Assert.Equal(("What is 17 + 26?", "43"), (c.Prompt, c.Gold)));
        Assert.Contains("等等", completions[2].Completion);
        Assert.Equal(completions[1].Completion.Length, completions[1].TokenCount);
        Assert.Equal(1.0, completions[0].Terms["acc"]);
        // A bare NaN score in the dump is no number: the term is absent and the reward 0.
        Assert.False(completions[5].Terms.ContainsKey("score"));
        // verl's dumps log no advantage: none is made up.
        Assert.All(completions, c => Assert.Null(c.Advantage));
    }

    [Fact]
    public void Plain_completions_json_lines_are_read_with_their_steps_and_gold()
    {
        using var dir = new TempDirectory();
        var file = dir.File("dump.jsonl", """
            {"prompt": "What is 2 + 2?", "completion": "<think>2 + 2 = 4</think><answer>4</answer>", "gold": "4", "step": 7}
            {"prompt": "What is 3 + 3?", "completion": "<answer>6</answer>", "gold": 6}

            """);

        var run = RunImport.Open(file);
        var completions = run.Completions().ToArray();

        Assert.Equal(RunFormat.Completions, RunImport.Detect(file));
        Assert.Equal([(7, "4"), (0, "6")], completions.Select(c => (c.Step, c.Gold!)));
        Assert.Empty(run.Metrics.Steps);
    }

    [Fact]
    public void A_file_of_no_known_format_is_named_with_the_formats_tried()
    {
        using var dir = new TempDirectory();
        var file = dir.File("notes.txt", "step one: collect data\n");

        var e = Assert.Throws<HarnessException>(() => RunImport.Open(file));

        Assert.StartsWith($"'{file}' is none of the formats this harness reads; tried a harness run directory (metrics.jsonl), a TRL trainer_state.json", e.Message);
        Assert.Contains("verl console log (step:N - key:value)", e.Message);
    }

    [Fact]
    public void Bad_input_in_each_format_is_named()
    {
        using var dir = new TempDirectory();
        var noSteps = dir.File(Path.Combine("trl", "trainer_state.json"), """{ "global_step": 0, "log_history": [ { "train_runtime": 1.0 } ] }""");
        var badLine = dir.File("verl.jsonl", "{\"step\": 1, \"data\": {\"actor/entropy\": 0.5}}\n{\"step\": 2, \"data\"\n{\"step\": 3, \"data\": {}}\n");
        var notRecord = dir.File("verl2.jsonl", "{\"step\": 1, \"data\": {}}\n{\"step\": 2}\n");

        Assert.Equal($"{noSteps}: log_history has no entry with a step, so there is no metric to read.",
            Assert.Throws<HarnessException>(() => RunImport.Open(noSteps)).Message);
        Assert.StartsWith($"{badLine}, line 2: not JSON", Assert.Throws<HarnessException>(() => RunImport.Open(badLine)).Message);
        Assert.Equal($"{notRecord}, line 2: not a verl file-logger record ({{\"step\": N, \"data\": {{...}}}}).",
            Assert.Throws<HarnessException>(() => RunImport.Open(notRecord)).Message);
    }

    [Fact]
    public void The_pass_at_1_series_can_be_named_and_a_wrong_name_or_two_held_out_sets_list_what_exists()
    {
        using var dir = new TempDirectory();
        var twoSets = dir.File("two.jsonl",
            "{\"step\": 1, \"data\": {\"val-core/gsm8k/acc/mean@1\": 0.5, \"val-core/math/acc/mean@1\": 0.2, \"response_length/mean\": 100}}\n");

        var named = RunImport.Open(twoSets, new ImportOptions(PassMetric: "val-core/math/acc/mean@1"));
        var several = Assert.Throws<HarnessException>(() => RunImport.Open(twoSets));
        var unknown = Assert.Throws<HarnessException>(() => RunImport.Open(twoSets, new ImportOptions(PassMetric: "pass@1")));
        var byTheirName = RunImport.Open(Fixture("verl", "gsm8k-grpo.jsonl"), new ImportOptions(PassMetric: "critic/score/mean"));

        Assert.Equal([0.2], named.Metrics.Metrics[RunImport.PassAtOne]);
        Assert.Contains("several held-out sets (gsm8k, math)", several.Message);
        Assert.Equal($"--pass-metric 'pass@1' is not a series of {twoSets}; its series are: completion_length_mean, val-core/gsm8k/acc/mean@1, val-core/math/acc/mean@1.", unknown.Message);
        Assert.Equal(byTheirName.Metrics.Metrics["reward_mean"], byTheirName.Metrics.Metrics[RunImport.PassAtOne]);
    }

    [Fact]
    public void Detect_and_doctor_read_a_trainers_run_and_say_what_cannot_be_measured()
    {
        var detect = HarnessRunner.Run(["detect", Fixture("verl"), "--json"]);
        var doctor = HarnessRunner.Run(["doctor", Fixture("trl-0.19"), "--json"]);
        var forced = HarnessRunner.Run(["detect", Fixture("verl", "console.log"), "--format", "trl"]);

        Assert.True(detect.ExitCode == 0, detect.Error);
        Assert.Contains("\"verdict\": \"too-short\"", detect.Out);
        Assert.True(doctor.ExitCode == 0, doctor.Error);
        Assert.Equal(5, System.Text.Json.Nodes.JsonNode.Parse(doctor.Out)!["modes"]!.AsArray().Count(m => (string)m!["status"]! == "not measured"));
        Assert.Equal(2, forced.ExitCode);
        Assert.Contains("console.log: not valid JSON at line 1", forced.Error);
    }

    [Fact]
    public void The_readme_name_table_is_the_code_table()
    {
        var readme = File.ReadAllLines(Path.Combine(RepoRoot.Path, "README.md"));
        var start = Array.IndexOf(readme, "| ours | TRL (`log_history`) | verl (`data`) | OpenRLHF (`train/…`, `eval/…`) |");
        string[] trainers = [MetricNames.Trl, MetricNames.Verl, MetricNames.OpenRlhf];
        var rows = readme.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).Where(l => !l.StartsWith("| `pass1_hard`", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .ToDictionary(c => c[1].Trim('`'), c => trainers.Select((_, t) => Keys(c[2 + t])).ToArray());
        static string[] Keys(string cell) => cell == "–" ? [] : [.. cell.Split(", ").Select(k => k.Trim('`'))];

        Assert.True(start >= 0, "README has no name table");
        Assert.Equal(MetricNames.All.Select(r => r.Ours).Distinct().Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (ours, keys) in rows)
            for (var t = 0; t < trainers.Length; t++)
                Assert.Equal(MetricNames.All.Where(r => r.Ours == ours && r.Trainer == trainers[t]).Select(r => r.Theirs), keys[t]);
    }

    [Fact]
    public void An_openrlhf_tensorboard_folder_reads_its_scalars_with_our_names_and_its_samples_as_completions()
    {
        using var dir = new TempDirectory();
        var tensorboard = OpenRlhfRun.Write(Path.Combine(dir.Path, "tensorboard"));

        var run = RunImport.Open(tensorboard);
        var completions = run.Completions().ToArray();
        var detect = HarnessRunner.Run(["detect", tensorboard, "--json"]);

        Assert.Equal("openrlhf", run.Producer);
        Assert.Equal(Enumerable.Range(1, OpenRlhfRun.Steps), run.Metrics.Steps);
        Assert.Equal(0.4, run.Metrics.Metrics["reward_mean"][0]!.Value, 6);
        Assert.Equal(0.3, run.Metrics.Metrics["reward_std"][0]!.Value, 6);
        Assert.Equal(42.5, run.Metrics.Metrics["step_time_s"][0]);
        Assert.Equal(0.55, run.Metrics.Metrics[RunImport.PassAtOne][4]!.Value, 6);
        Assert.Null(run.Metrics.Metrics[RunImport.PassAtOne][0]);
        // One sample a step: the prompt is cut at "Assistant:", so the template's own tags are not the completion's.
        Assert.Equal(OpenRlhfRun.Steps, completions.Length);
        Assert.All(completions, c => Assert.EndsWith("Assistant:", c.Prompt, StringComparison.Ordinal));
        Assert.All(completions, c => Assert.StartsWith("<think>", c.Completion, StringComparison.Ordinal));
        Assert.Equal(1.0, completions[^1].Reward);
        Assert.True(detect.ExitCode == 0, detect.Error);
        Assert.Contains("\"verdict\": \"aha\"", detect.Out);
    }

    [Fact]
    public void A_damaged_event_file_is_named_with_the_offset_and_a_torn_last_record_is_dropped()
    {
        using var dir = new TempDirectory();
        var file = Directory.GetFiles(OpenRlhfRun.Write(Path.Combine(dir.Path, "tb")), "events.out.tfevents.*", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        var torn = dir.File("torn/events.out.tfevents.1.host", "");
        File.WriteAllBytes(torn, bytes[..^7]);
        var damaged = dir.File("damaged/events.out.tfevents.1.host", "");
        var broken = (byte[])bytes.Clone();
        broken[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(damaged, broken);

        var whole = TensorBoardEvents.Read([file]).Count();
        var kept = TensorBoardEvents.Read([torn]).Count();
        var e = Assert.Throws<HarnessException>(() => TensorBoardEvents.Read([damaged]).Count());

        Assert.InRange(kept, whole - 2, whole - 1);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(damaged)}, offset \\d+: (the event record's data does not match its CRC|not a TensorBoard event record)", e.Message);
    }

    [Theory]
    [InlineData(true, "aha")]
    [InlineData(false, "ritual")]
    public void Detect_on_a_verl_run_measures_self_verification_from_its_rollouts_and_gives_the_verdict(bool aha, string verdict)
    {
        using var dir = new TempDirectory();
        var run = VerlRun.Write(Path.Combine(dir.Path, "verl"), aha);

        var result = HarnessRunner.Run(["detect", run, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        Assert.Equal(verdict, (string)json["verdict"]!);
        if (aha) Assert.InRange((double)json["aha_step"]!, 20, 42);
    }

    [Fact]
    public void Scan_writes_a_run_directory_that_detect_doctor_and_report_read_as_any_run()
    {
        using var dir = new TempDirectory();
        var run = VerlRun.Write(Path.Combine(dir.Path, "verl"), aha: true);
        var scanned = Path.Combine(dir.Path, "scanned");

        var scan = HarnessRunner.Run(["scan", run, "--out", scanned]);
        var detect = HarnessRunner.Run(["detect", scanned, "--json"]);
        var report = HarnessRunner.Run(["report", scanned]);

        Assert.True(scan.ExitCode == 0, scan.Error);
        Assert.Contains($"({VerlRun.Steps * 16} completions, {VerlRun.Steps} steps)", scan.Console);
        var metrics = Engine.RunTests.Metrics(scanned);
        Assert.Equal(Enumerable.Range(1, VerlRun.Steps), metrics.Select(m => m["step"].GetInt32()));
        Assert.True(metrics[0]["self_verify_rate"].GetDouble() < 0.1 && metrics[^1]["self_verify_rate"].GetDouble() > 0.9);
        // The trainer's own series are kept beside the scan's, under our names.
        Assert.All(metrics, m => Assert.Equal(0.5, m["entropy"].GetDouble()));
        Assert.Equal(0.55, metrics[0]["pass1_hard"].GetDouble());
        // Every completion is kept with its flags: exactly the re-checking ones are flagged.
        var lines = File.ReadLines(Path.Combine(scanned, "completions.jsonl")).ToArray();
        Assert.Equal(VerlRun.Steps * 16, lines.Length);
        Assert.All(lines, l => Assert.Equal(l.Contains("Wait, let me re-check", StringComparison.Ordinal), l.Contains("\"self-verify\"", StringComparison.Ordinal)));
        Assert.Contains("\"verdict\": \"aha\"", detect.Out);
        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Contains("aha window", File.ReadAllText(Path.Combine(scanned, "report.html")));
    }

    [Fact]
    public void A_scan_writes_the_same_files_on_any_number_of_lanes()
    {
        using var dir = new TempDirectory();
        var run = VerlRun.Write(Path.Combine(dir.Path, "verl"), aha: true);
        string Scan(int lanes)
        {
            var output = Path.Combine(dir.Path, $"lanes-{lanes}");
            var result = HarnessRunner.Run(["scan", run, "--out", output, "--lanes", $"{lanes}"]);
            Assert.True(result.ExitCode == 0, result.Error);
            return output;
        }

        var (one, four) = (Scan(1), Scan(4));
        var zero = HarnessRunner.Run(["scan", run, "--out", Path.Combine(dir.Path, "none"), "--lanes", "0"]);

        foreach (var file in new[] { "completions.jsonl", "metrics.jsonl" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(one, file)), File.ReadAllBytes(Path.Combine(four, file)));
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("--lanes must be at least 1, not 0", zero.Console + zero.Error);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "none")));
    }

    /// <summary>A completions file as TRL 0.28+ writes it: step, prompt, completion, a column per reward function, advantage.</summary>
    private static async Task WriteTrlCompletions(string file, params Parquet.Schema.DataField[] extra)
    {
        var fields = new Parquet.Schema.DataField[]
        {
            new Parquet.Schema.DataField<long>("step"), new Parquet.Schema.DataField<string>("prompt"), new Parquet.Schema.DataField<string>("completion"),
            new Parquet.Schema.DataField<double>("accuracy_reward"), new Parquet.Schema.DataField<double>("advantage"),
        }.Where(f => extra.All(e => e.Name != f.Name)).ToArray();
        var schema = new Parquet.Schema.ParquetSchema(fields);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var stream = File.Create(file);
        await using var writer = await Parquet.ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        foreach (var field in schema.DataFields)
        {
            if (field.Name == "step") await group.WriteAsync<long>(field, new long[] { 3, 3 });
            else if (field.Name == "prompt") await group.WriteAsync(field, new[] { "What is 17 + 26?", "What is 17 + 26?" });
            else if (field.Name == "completion") await group.WriteAsync(field, new[] { "<think>Wait, let me re-check. 7+6=13.</think><answer>43</answer>", "<answer>33</answer>" });
            else await group.WriteAsync<double>(field, field.Name == "advantage" ? new[] { 0.7, -0.7 } : new[] { 1.0, 0.0 });
        }
    }

    [Fact]
    public async Task Trl_completions_parquet_beside_the_checkpoints_are_the_runs_completions_and_a_missing_column_is_named()
    {
        using var dir = new TempDirectory();
        var output = Path.Combine(dir.Path, "trl");
        Directory.CreateDirectory(Path.Combine(output, "checkpoint-3"));
        File.Copy(Fixture("trl-0.19", "checkpoint-3", "trainer_state.json"), Path.Combine(output, "checkpoint-3", "trainer_state.json"));
        await WriteTrlCompletions(Path.Combine(output, "completions", "completions_00003.parquet"));
        var broken = Path.Combine(dir.Path, "broken");
        await WriteTrlCompletions(Path.Combine(broken, "completions", "completions_00001.parquet"), new Parquet.Schema.DataField<string>("completion"));

        var run = RunImport.Open(output);
        var completions = run.Completions().ToArray();
        var fromCheckpoint = RunImport.Open(Path.Combine(output, "checkpoint-3"));
        var missing = Assert.Throws<HarnessException>(() => RunImport.Open(broken).Completions().ToArray());

        Assert.Equal([1, 2, 3], run.Metrics.Steps);
        Assert.Equal([(3, 1.0, 0.7), (3, 0.0, -0.7)], completions.Select(c => (c.Step, c.Terms["accuracy_reward"], c.Advantage)));
        Assert.Equal("<answer>33</answer>", completions[1].Completion);
        Assert.True(fromCheckpoint.HasCompletions);
        Assert.StartsWith($"{Path.Combine(broken, "completions", "completions_00001.parquet")}: no column 'completion'", missing.Message);
    }
}
