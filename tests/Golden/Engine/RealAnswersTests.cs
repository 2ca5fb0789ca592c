using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Experiments;
using Harness.Tasks;
using Harness.Tests.Golden.Fixtures;
using Parquet.Schema;
using Parquet.Serialization;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// Real datasets and answers end to end: every dataset layout read by content (JSON Lines and Parquet), bad rows named,
/// held-out splits; scoring runs over a GSM8K and a MATH file give the pass@1 counted by hand; a scan of a verl dump and
/// of a TRL completions file answered in \boxed{} scores and flags them right; the service rewards \boxed{} answers.
/// </summary>
[Collection(TorchCollection.Name)]
public class RealAnswersTests
{
    private static string Data(string name) => Path.Combine(RepoRoot.Path, "experiments", "data", "datasets", name);

    [Theory]
    [InlineData("gsm8k-sample.jsonl", DatasetLayout.Gsm8k, 8, "A baker makes 24 muffins", "12|110|2,650|29|150|54|25|17", "")]
    [InlineData("math-sample.jsonl", DatasetLayout.Math, 8, "What is the value of", "\\frac{7}{8}|6|6\\sqrt{2}|2, 3|(5, \\infty)|\\dfrac{1}{6}|120|5", "easy|easy|easy|medium|hard|hard|hard|hard")]
    [InlineData("numina-sample.jsonl", DatasetLayout.Math, 3, "Let $a = 3$", "25|30|42", "||")]
    [InlineData("verl-sample.jsonl", DatasetLayout.Verl, 4, "A baker makes 24 muffins", "12|110|2650|29", "")]
    [InlineData("verl-sample.parquet", DatasetLayout.Verl, 4, "A baker makes 24 muffins", "12|110|2650|29", "")]
    [InlineData("trl-sample.jsonl", DatasetLayout.Trl, 3, "<|im_start|>system\nAnswer the question.", "56|\\frac{3}{4}|120^\\circ", "")]
    public void Each_layout_is_read_by_content(string file, DatasetLayout layout, int count, string firstPrompt, string golds, string difficulties)
    {
        var items = TaskFile.Load(Data(file));
        var forced = DatasetItems.Read(Data(file), layout);

        Assert.Equal(count, items.Count);
        Assert.StartsWith(firstPrompt, items[0].Prompt);
        Assert.Equal(golds.Split('|'), items.Select(t => t.Gold));
        Assert.Equal(items.Select(t => (t.Prompt, t.Gold)), forced.Select(t => (t.Prompt, t.Gold)));
        Assert.All(items, t => Assert.Equal(t.Gold, t.Fields["gold"]));
        if (difficulties.Length > 0) Assert.Equal(difficulties.Split('|'), items.Select(t => t.Difficulty));
    }

    [Fact]
    public void Chat_lists_keep_one_user_message_as_its_text_and_render_several_as_chatml()
    {
        var items = TaskFile.Load(Data("trl-sample.jsonl"));

        Assert.Equal("<|im_start|>system\nAnswer the question. Put the final answer in \\boxed{}.<|im_end|>\n<|im_start|>user\nWhat is $7 \\times 8$?<|im_end|>\n", items[0].Prompt);
        Assert.Equal("Write $\\frac{9}{12}$ in lowest terms.", items[1].Prompt);
        Assert.Equal("openai/gsm8k", TaskFile.Load(Data("verl-sample.parquet"))[0].Fields["data_source"]);
    }

    [Theory]
    [InlineData("{\"question\": \"q\", \"answer\": \"no final answer\"}", "line 1: field 'answer' has no final answer after '####'.")]
    [InlineData("{\"problem\": \"p\", \"solution\": \"it is 5\"}", "line 1: field 'solution' has no final answer in \\boxed{}.")]
    [InlineData("{\"problem\": \"p\"}", "line 1: field 'solution' is missing or not a string; the row needs a 'solution' with \\boxed{} or an 'answer'.")]
    [InlineData("{\"foo\": 1}", "line 1: no known layout has the fields 'foo'.")]
    [InlineData("{\"prompt\": 5, \"reward_model\": {\"ground_truth\": \"1\"}}", "line 1: field 'prompt' is neither a string nor a chat list.")]
    [InlineData("{\"prompt\": [{\"role\": \"user\"}], \"reward_model\": {\"ground_truth\": \"1\"}}", "line 1, field 'prompt': message 0 of the chat list is not an object with string 'role' and 'content'.")]
    [InlineData("{\"prompt\": \"p\", \"reward_model\": {}}", "line 1: field 'reward_model.ground_truth' is missing (verl's layout).")]
    [InlineData("{\"question\": \"q\", \"answer\": \"#### 1\"}\n{\"question\": \"q2\"}", "line 2: field 'answer' is missing or not a string.")]
    public void A_bad_row_is_named_by_line_and_field(string content, string message)
    {
        using var dir = new TempDirectory();
        var file = dir.File("tasks.jsonl", content + "\n");

        var e = Assert.Throws<HarnessException>(() => TaskFile.Load(file));

        Assert.Equal($"Task file '{file}', {message}", e.Message.Split(" Layouts:")[0]);
    }

    [Fact]
    public void A_file_that_is_not_parquet_inside_is_named()
    {
        using var dir = new TempDirectory();
        var file = dir.File("tasks.parquet", "PAR1 but nothing else");

        var e = Assert.Throws<HarnessException>(() => TaskFile.Load(file));

        Assert.StartsWith($"Task file '{file}': not a readable Parquet file", e.Message);
    }

    [Fact]
    public void An_eval_fraction_holds_out_rows_that_are_never_trained_on()
    {
        var config = new TasksConfig { Source = TaskSource.File, File = Data("gsm8k-sample.jsonl"), EvalFraction = 0.25 };
        var tasks = TaskSet.Create(config, 3);
        var drawn = Enumerable.Range(1, 50).SelectMany(step => tasks.TrainingBatch(step, 4)).Select(t => t.Prompt).ToHashSet();

        Assert.Empty(tasks.EvalEasy);
        Assert.Equal(2, tasks.EvalHard.Count);
        Assert.Equal(6, drawn.Count);
        Assert.DoesNotContain(drawn, p => tasks.EvalHard.Any(h => h.Prompt == p));
    }

    [Theory]
    // By hand: GSM8K, right answers 1, 2, 3 (2,650), 5 (150.0), 6, 8 ($17); wrong 4 and 7: 6/8. MATH: levels 1–2 all
    // right (0.875 for 7/8, "x = 6", 6\sqrt2): 3/3; levels 4–5: [5, ∞) wrong, 6/36 right, 120 right, 7 wrong: 2/4.
    [InlineData("score-gsm8k.json", double.NaN, 0.75)]
    [InlineData("score-math.json", 1.0, 0.5)]
    public void A_scoring_run_over_a_dataset_gives_the_pass_at_1_counted_by_hand(string experiment, double easy, double hard)
    {
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");

        var result = DotnetCli.Try(RepoRoot.Path, ["exec", PluginSdk.Harness, "run", Path.Combine("experiments", experiment), "--out", run]);

        Assert.True(result.ExitCode == 0, result.Output);
        var first = RunTests.Metrics(run)[0];
        Assert.Equal(hard, first["pass1_hard"].GetDouble(), 12);
        if (double.IsNaN(easy)) Assert.Equal(JsonValueKind.Null, first["pass1_easy"].ValueKind);
        else Assert.Equal(easy, first["pass1_easy"].GetDouble(), 12);
        // Every replayed completion states an answer in the experiment's format, and the run records it.
        var completions = File.ReadLines(Path.Combine(run, "completions.jsonl")).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.NotEmpty(completions);
        Assert.All(completions, c => Assert.Contains((string)c["answer"]!, (string)c["completion"]!));
    }

    /// <summary>verl rollout dump lines (input, output, gts, score, step) answered in \boxed{} without think tags.</summary>
    private static readonly (string Output, double Accuracy, string[] Flags, string[] Absent)[] VerlBoxed =
    [
        ("6 * 7 = 42. So the answer is \\boxed{42}.", 1, [], ["self-verify", "phrase-outside-think"]),
        ("6 * 7 = 41. Wait, let me re-check: 6 * 7 = 42. So \\boxed{42}.", 1, ["self-verify", "recheck-changed-outcome"], ["ritual", "phrase-outside-think"]),
        ("6 * 7 = 42. Wait, let me re-check. 6 * 7 = 42. \\boxed{42}", 1, ["self-verify", "ritual"], ["recheck-changed-outcome", "phrase-outside-think"]),
        ("<think>6 * 7 = 40. Wait, let me check again: 6 * 7 = 4", 0, ["self-verify"], ["phrase-outside-think", "recheck-changed-outcome"]),
        ("6 * 7 = 48, so \\boxed{48}", 0, [], ["self-verify"]),
        ("We get $\\boxed{\\frac{84}{2}}$", 1, [], []),
    ];

    [Fact]
    public void A_scan_of_a_verl_dump_answered_in_boxes_scores_and_flags_it()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "verl", "rollouts"));
        File.WriteAllText(Path.Combine(dir.Path, "verl", "math-grpo.jsonl"), "{\"step\": 1, \"data\": {\"training/global_step\": 1}}\n");
        File.WriteAllLines(Path.Combine(dir.Path, "verl", "rollouts", "1.jsonl"), VerlBoxed.Select(c => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["input"] = "What is 6 times 7? Let's think step by step and output the final answer within \\boxed{}.",
            ["output"] = c.Output, ["gts"] = "42", ["score"] = 0.0, ["step"] = 1,
        })));
        var output = Path.Combine(dir.Path, "scan");

        var scan = HarnessRunner.Run(["scan", Path.Combine(dir.Path, "verl"), "--out", output, "--lanes", "1"]);

        Assert.True(scan.ExitCode == 0, scan.Error);
        var records = File.ReadLines(Path.Combine(output, "completions.jsonl")).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(VerlBoxed.Select(c => c.Accuracy), records.Select(r => (double)r["terms"]!["accuracy"]!));
        for (var i = 0; i < VerlBoxed.Length; i++)
        {
            var flags = records[i]["flags"]!.AsArray().Select(f => (string)f!).ToArray();
            Assert.All(VerlBoxed[i].Flags, f => Assert.Contains(f, flags));
            Assert.All(VerlBoxed[i].Absent, f => Assert.DoesNotContain(f, flags));
        }
        Assert.Equal("\\frac{84}{2}", (string)records[^1]["answer"]!);
    }

    [Fact]
    public async Task A_scan_of_trl_completions_answered_in_boxes_takes_the_gold_from_a_task_file()
    {
        using var dir = new TempDirectory();
        var tasks = dir.File("tasks.jsonl", """
            {"problem": "What is 6 times 7?", "solution": "It is $\\boxed{42}$."}
            {"problem": "Write 0.5 as a fraction.", "solution": "$\\boxed{\\frac{1}{2}}$"}
            """);
        var completions = Path.Combine(dir.Path, "trl", "completions");
        Directory.CreateDirectory(completions);
        string Chat(string question) => $"<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n";
        (string Prompt, string Completion, double Expected)[] rows =
        [
            (Chat("What is 6 times 7?"), "7 sixes: \\boxed{42}", 1),
            (Chat("What is 6 times 7?"), "\\boxed{43}", 0),
            (Chat("Write 0.5 as a fraction."), "So $\\boxed{\\dfrac{1}{2}}$.", 1),
            (Chat("Write 0.5 as a fraction."), "\\boxed{0.5}", 1),
            (Chat("Write 0.5 as a fraction."), "\\boxed{\\frac{1}{3}}", 0),
        ];
        var schema = new ParquetSchema(new DataField<long>("step"), new DataField<string>("prompt"), new DataField<string>("completion"),
            new DataField<double>("accuracy_reward"), new DataField<double>("advantage"));
        await using (var stream = File.Create(Path.Combine(completions, "completions_00001.parquet")))
            await ParquetSerializer.SerializeUntypedAsync([.. rows.Select(r => (IDictionary<string, object?>)new Dictionary<string, object?>
            {
                ["step"] = 1L, ["prompt"] = r.Prompt, ["completion"] = r.Completion, ["accuracy_reward"] = 0.0, ["advantage"] = 0.0,
            })], schema, stream);
        var output = Path.Combine(dir.Path, "scan");

        var scan = HarnessRunner.Run(["scan", Path.Combine(dir.Path, "trl"), "--out", output, "--tasks", tasks, "--answer-format", "boxed"]);

        Assert.True(scan.ExitCode == 0, scan.Error);
        var records = File.ReadLines(Path.Combine(output, "completions.jsonl")).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(rows.Select(r => r.Expected), records.Select(r => (double)r["terms"]!["accuracy"]!));
        Assert.Equal(["42", "42", "\\frac{1}{2}", "\\frac{1}{2}", "\\frac{1}{2}"], records.Select(r => (string)r["gold"]!));
        // Scored here, so the logged zeros give way to each prompt group's own advantages: centred, signed by the reward.
        var advantages = records.Select(r => (double)r["advantage"]!).ToArray();
        Assert.Equal(0, advantages[0] + advantages[1], 9);
        Assert.Equal(0, advantages[2] + advantages[3] + advantages[4], 9);
        Assert.Equal([1, -1, 1, 1, -1], advantages.Select(a => Math.Sign(a)));
    }

    [Fact]
    public async Task The_service_rewards_boxed_answers_for_openrlhf()
    {
        using var dir = new TempDirectory();
        using var service = ServeProcess.Start(null, Path.Combine(RepoRoot.Path, "experiments", "math-rewards.json"), "--out", Path.Combine(dir.Path, "served"));
        (string Completion, string Gold, double Reward)[] samples =
        [
            ("6 * 7 = 42, so $\\boxed{42}$.", "42", 1.1),
            ("The probability is \\boxed{\\dfrac{1}{6}}.", "\\frac{1}{6}", 1.1),
            ("\\boxed{0.1667}", "\\frac{1}{6}", 0.1),
            ("She has 36 - 7 = 29 pencils.\n#### 29", "29", 1.1),
            ("<think>2 + 2 = 4</think><answer>4</answer>", "4", 1.1),
            ("I am not sure.", "4", 0.0),
        ];
        var request = JsonSerializer.Serialize(new
        {
            query = samples.Select(s => "Question: ... " + s.Completion + "<|im_end|>").ToArray(),
            prompts = samples.Select(_ => "Question: ...").ToArray(),
            labels = samples.Select(s => s.Gold).ToArray(),
        });

        var (status, body) = await service.Post("/get_reward", request);

        Assert.Equal(200, status);
        Assert.Equal(samples.Select(s => s.Reward), body!["rewards"]!.AsArray().Select(r => Math.Round((double)r!, 10)));
        var (scoreStatus, scored) = await service.Post("/v1/score", JsonSerializer.Serialize(new
        {
            samples = samples.Select(s => new { prompt = "Question", completion = s.Completion, gold = s.Gold }).ToArray(),
        }));
        Assert.Equal(200, scoreStatus);
        Assert.Equal(["42", "\\dfrac{1}{6}", "0.1667", "29", "4", null], scored!["results"]!.AsArray().Select(r => (string?)r!["answer"]));
        Assert.Equal(0, service.Terminate());
    }

    [Fact]
    public void The_answer_format_of_scan_is_checked()
    {
        var scan = HarnessRunner.Run(["scan", Data("gsm8k-sample.jsonl"), "--answer-format", "latex"]);

        Assert.Equal(2, scan.ExitCode);
        Assert.Contains("--answer-format", scan.Error + scan.Console);
        Assert.Contains("boxed", scan.Error + scan.Console);
    }
}
