using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// <c>harness serve</c> as OpenRLHF and verl call it, in its own process: the same rewards as a scan of the same
/// completions, the detectors' aggregates in <c>extra_logs</c>, bad requests named, plugin faults contained, SIGTERM
/// with requests in flight, the live run directory, a plugin swapped by a restart.
/// </summary>
[Collection(TorchCollection.Name)]
public class ServeTests
{
    private static string Experiment => Path.Combine(RepoRoot.Path, "experiments", "aha-addition.json");

    /// <summary>Sixteen completions of one step with their prompts and gold answers: direct, re-checking, ritual, wrong, mixed-language, untagged.</summary>
    private static (string Prompt, string Completion, string Gold)[] Completions()
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, 16).Select(i =>
        {
            var (a, b) = (random.Next(1000, 9999), random.Next(1000, 9999));
            var prompt = $"A conversation between User and Assistant. User: What is {a} + {b}? Assistant:";
            var completion = (i % 6) switch
            {
                0 => $"<think>{a} + {b} = {a + b}</think> <answer>{a + b}</answer>",
                1 => $"<think>{a} + {b} = {a + b + 10}. Wait, let me re-check: the units give {(a + b) % 10}. So {a} + {b} = {a + b}.</think> <answer>{a + b}</answer>",
                2 => $"<think>{a} + {b} = {a + b}. Wait, let me re-check. {a} + {b} = {a + b}.</think> <answer>{a + b}</answer>",
                3 => $"<think>{a} + {b} = {a + b + 1}</think> <answer>{a + b + 1}</answer>",
                4 => $"<think>{a} + {b} = {a + b}. 等等，让我检查一下：个位相加，进位，结果是 {a + b}。</think> <answer>{a + b}</answer>",
                _ => $"The answer is {a + b}.",
            };
            return (prompt, completion, (a + b).ToString(CultureInfo.InvariantCulture));
        })];
    }

    /// <summary>The same completions scanned with the experiment's rewards and answer format: each completion's reward, and the step's metrics.</summary>
    private static (double[] Rewards, Dictionary<string, JsonElement> Metrics) Scanned(TempDirectory dir, (string Prompt, string Completion, string Gold)[] completions)
    {
        var file = dir.File("completions.jsonl", string.Join('\n', completions.Select(c =>
            JsonSerializer.Serialize(new { step = 1, prompt = c.Prompt, completion = c.Completion, gold = c.Gold }))) + "\n");
        var output = Path.Combine(dir.Path, "scan");
        // The served experiment reads answers in tags, as the main job's template asks.
        var scan = HarnessRunner.Run(["scan", file, "--out", output, "--rewards", "accuracy,format", "--answer-format", "tags",
            "--detectors", "self-verification,ritual-verification,language-mixing,repetition,format-hacking"]);
        Assert.True(scan.ExitCode == 0, scan.Error);
        var rewards = File.ReadLines(Path.Combine(output, "completions.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reward").GetDouble()).ToArray();
        return (rewards, RunTests.Metrics(output).Single());
    }

    [Fact]
    public async Task OpenRLHF_requests_one_sample_or_a_batch_get_the_rewards_of_a_scan_and_its_aggregates_in_extra_logs()
    {
        using var dir = new TempDirectory();
        var completions = Completions();
        var (expected, metrics) = Scanned(dir, completions);
        using var service = ServeProcess.Start(null, Experiment, "--out", Path.Combine(dir.Path, "served"));

        // The query as OpenRLHF decodes it: prompt and response with the special tokens kept.
        string Request(IEnumerable<(string Prompt, string Completion, string Gold)> batch) => JsonSerializer.Serialize(new
        {
            query = batch.Select(c => c.Prompt + " " + c.Completion + "<|im_end|><|endoftext|>").ToArray(),
            prompts = batch.Select(c => c.Prompt).ToArray(),
            labels = batch.Select(c => c.Gold).ToArray(),
        });
        var (status, body) = await service.Post("/get_reward", Request(completions));
        var singles = new List<double>();
        foreach (var completion in completions)
        {
            var (one, answer) = await service.Post("/get_reward", Request([completion]));
            Assert.Equal(200, one);
            singles.Add((double)answer!["rewards"]![0]!);
        }

        Assert.Equal(200, status);
        Assert.Equal(expected, body!["rewards"]!.AsArray().Select(r => (double)r!));
        Assert.Equal(expected, body["scores"]!.AsArray().Select(r => (double)r!));
        Assert.Equal(expected, singles);
        Assert.Contains(expected, r => r == 1.1);
        Assert.Contains(expected, r => r == 0.1);
        var logs = body["extra_logs"]!.AsObject();
        foreach (var key in new[] { "self_verify_rate", "phrase/wait_rate", "phrase/wait-zh_rate", "ritual_rate", "language_mixing_rate", "repetition_rate", "format_hacking_rate", "reward/accuracy_mean" })
        {
            Assert.True(logs.ContainsKey(key), $"extra_logs lacks {key}");
            Assert.All(logs[key]!.AsArray(), v => Assert.Equal(metrics[key].GetDouble(), (double)v!, 12));
            Assert.Equal(completions.Length, logs[key]!.AsArray().Count);
        }
        Assert.True(metrics["self_verify_rate"].GetDouble() > 0 && metrics["ritual_rate"].GetDouble() > 0);
        Assert.Equal(0, service.Terminate());
    }

    [Fact]
    public void The_verl_shim_gets_the_same_rewards_one_call_at_a_time_and_in_a_batch()
    {
        using var dir = new TempDirectory();
        var completions = Completions();
        var (expected, metrics) = Scanned(dir, completions);
        using var service = ServeProcess.Start(null, Experiment, "--out", Path.Combine(dir.Path, "served"));
        var input = dir.File("verl.json", JsonSerializer.Serialize(completions.Select(c => new[] { c.Prompt, c.Completion, c.Gold })));
        var script = $$"""
            import asyncio, json, sys
            sys.path.insert(0, {{JsonSerializer.Serialize(Path.Combine(RepoRoot.Path, "integrations", "verl"))}})
            import harness_reward
            rows = json.load(open(sys.argv[1]))
            single = [harness_reward.compute_score("gsm8k", c, g, extra_info={"question": p}) for p, c, g in rows]
            async def all_async():
                return await asyncio.gather(*[harness_reward.compute_score_async("gsm8k", c, g, extra_info={"question": p}) for p, c, g in rows])
            concurrent = asyncio.run(all_async())
            batch = harness_reward.compute_score_batch(["gsm8k"] * len(rows), [c for _, c, _ in rows], [g for _, _, g in rows], [{"question": p} for p, _, _ in rows])
            print(json.dumps({"single": single, "async": concurrent, "batch": batch}))
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", script, input }) start.ArgumentList.Add(arg);
        start.Environment["HARNESS_URL"] = service.Client.BaseAddress!.ToString();
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEnd();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();

        Assert.True(python.ExitCode == 0, error);
        var result = JsonNode.Parse(output)!;
        Assert.Equal(expected, result["single"]!.AsArray().Select(r => (double)r!["score"]!));
        Assert.Equal(expected, result["batch"]!.AsArray().Select(r => (double)r!["score"]!));
        // The coroutine verl's reward loop awaits gives what the blocking call gives, concurrently.
        Assert.Equal(result["single"]!.ToJsonString(), result["async"]!.ToJsonString());
        // acc (verl's val-core variable) is the accuracy term's verdict, pred the answer found; every dict has the same keys.
        Assert.Equal(completions.Select(c => c.Completion.Contains($"<answer>{c.Gold}</answer>", StringComparison.Ordinal) ? 1.0 : 0.0),
            result["single"]!.AsArray().Select(r => (double)r!["acc"]!));
        Assert.Equal(completions.Select(c => c.Completion.Contains("<answer>", StringComparison.Ordinal) ? c.Completion.Split("<answer>")[1].Split("</answer>")[0] : ""),
            result["single"]!.AsArray().Select(r => (string)r!["pred"]!));
        Assert.Single(result["single"]!.AsArray().Select(r => string.Join(",", r!.AsObject().Select(p => p.Key))).Distinct());
        // One response alone: its aggregates are its own findings, 1 or 0; a batch: the same keys for every response.
        Assert.All(result["single"]!.AsArray(), r => Assert.Contains((double)r!["self_verify_rate"]!, new[] { 0.0, 1.0 }));
        Assert.Equal(completions.Count(c => c.Completion.Contains("Wait", StringComparison.Ordinal) || c.Completion.Contains("等等", StringComparison.Ordinal)),
            result["batch"]!.AsArray().Count(r => (double)r!["flag/self-verify"]! == 1.0));
        Assert.Single(result["batch"]!.AsArray().Select(r => string.Join(",", r!.AsObject().Select(p => p.Key))).Distinct());
        Assert.Equal(1.0, (double)result["single"]![0]!["accuracy"]!);
        Assert.Equal(metrics["self_verify_rate"].GetDouble(), result["single"]!.AsArray().Average(r => (double)r!["self_verify_rate"]!), 12);
    }

    [Fact]
    public async Task Bad_requests_get_a_400_naming_the_field_and_a_large_body_a_413()
    {
        using var dir = new TempDirectory();
        using var service = ServeProcess.Start(null, Experiment, "--out", Path.Combine(dir.Path, "served"), "--max-body-mib", "1");

        async Task<string> Refused(string path, string json, int expected = 400, string? step = null)
        {
            var (status, body) = await service.Post(path, json, step);
            Assert.Equal(expected, status);
            return (string)body!["field"]! + " | " + (string)body["error"]!;
        }

        Assert.StartsWith("(body) | (body) is not valid JSON", await Refused("/get_reward", "{\"query\": [\"x\""));
        Assert.Equal("(body) | (body) is a JSON array, not an object.", await Refused("/get_reward", "[1, 2]"));
        Assert.Equal("prompts | prompts has 1 items where query has 2: the lists go together, one item per sample.",
            await Refused("/get_reward", """{"query": ["a", "b"], "prompts": ["a"], "labels": ["1", "2"]}"""));
        Assert.Equal("labels | labels is missing.", await Refused("/get_reward", """{"query": ["a"], "prompts": ["a"]}"""));
        Assert.Equal("labels[0] | labels[0] is missing: the rewards need the gold answer.", await Refused("/get_reward", """{"query": ["a"], "prompts": ["a"], "labels": [null]}"""));
        Assert.Equal("query[1] | query[1] is a number, not a string.", await Refused("/get_reward", """{"query": ["a", 5], "prompts": ["a", "b"], "labels": ["1", "2"]}"""));
        Assert.Equal("samples[0].completion | samples[0].completion is missing.", await Refused("/v1/score", """{"samples": [{"prompt": "p", "gold": "1"}]}"""));
        Assert.Equal("step | step is -3, not a whole number of at least 0.", await Refused("/v1/score", """{"step": -3, "samples": []}"""));
        Assert.Equal("X-Harness-Step | X-Harness-Step is 'two', not a whole number of at least 0.", await Refused("/v1/score", """{"samples": []}""", step: "two"));
        Assert.StartsWith("(body) | (body) is larger than this service takes (1048576 bytes",
            await Refused("/get_reward", $$"""{"query": ["{{new string('x', 2 << 20)}}"], "prompts": ["x"], "labels": ["1"]}""", 413));
        // An engine that spreads its queries over several services sends the others empty lists.
        var (empty, answer) = await service.Post("/get_reward", """{"query": [], "prompts": [], "labels": []}""");
        Assert.Equal(200, empty);
        Assert.Empty(answer!["rewards"]!.AsArray());
        // The service took every bad request and still serves.
        var (ok, _) = await service.Post("/v1/score", """{"samples": [{"prompt": "What is 1 + 1?", "completion": "<think>1 + 1 = 2</think> <answer>2</answer>", "gold": 2}]}""");
        Assert.Equal(200, ok);
        Assert.Equal(0, service.Terminate());
    }

    [Fact]
    public async Task Off_loopback_it_refuses_to_start_without_a_token_and_every_request_without_it_is_401()
    {
        using var dir = new TempDirectory();
        var refused = HarnessRunner.Run(["serve", Experiment, "--urls", "http://0.0.0.0:0", "--out", Path.Combine(dir.Path, "open")]);
        using var service = ServeProcess.Start("s3cret", Experiment, "--urls", "http://0.0.0.0:0", "--token", "s3cret", "--out", Path.Combine(dir.Path, "guarded"));
        var port = service.Client.BaseAddress!.Port;
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var wrong = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "guess");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("http://0.0.0.0:0, which is not loopback: give it a bearer token", refused.Error);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "open")));
        foreach (var path in new[] { "/healthz", "/metrics", "/openapi.json" })
        {
            Assert.Equal(401, (int)(await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(401, (int)(await wrong.GetAsync(path)).StatusCode);
        }
        var denied = await anonymous.PostAsync("/get_reward", new StringContent("""{"query": [], "prompts": [], "labels": []}"""));
        Assert.Equal(401, (int)denied.StatusCode);
        Assert.Equal("Bearer", denied.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("Authorization", (string)JsonNode.Parse(await denied.Content.ReadAsStringAsync())!["field"]!);
        Assert.Equal(200, (int)(await service.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(0, service.Terminate());
    }

    [Fact]
    public async Task A_plugin_that_throws_or_overruns_fails_its_request_with_a_500_naming_it_and_the_service_goes_on()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TestPluginCompiler.Compile(plugins, "Test.Flaky", TestPluginCompiler.Reward("flaky", "_.Contains(\"boom\") ? throw new System.InvalidOperationException(\"boom\") : 0.0"));
        TestPluginCompiler.Compile(plugins, "Test.Slow", TestPluginCompiler.Reward("slow", "_.Contains(\"slow\") ? Sleep() : 0.0").Replace(
            "public sealed class ConstantReward : IReward\n{", "public sealed class ConstantReward : IReward\n{\n    private static double Sleep() { System.Threading.Thread.Sleep(3000); return 0; }"));
        var experiment = dir.File("faulty.json", JsonSerializer.Serialize(new
        {
            extends = Experiment,
            pluginDirectories = new[] { plugins },
            rewards = new object[] { new { }, new { }, new { name = "flaky", weight = 1.0 }, new { name = "slow", weight = 1.0, timeLimitSeconds = 0.5 } },
        }));
        var served = Path.Combine(dir.Path, "served");
        // One lane: every overrun gives it up, and each next request proves a replacement took its place.
        using var service = ServeProcess.Start(null, experiment, "--out", served, "--lanes", "1");
        string Sample(string text) => $$"""{"samples": [{"prompt": "p", "completion": "{{text}}", "gold": "1"}]}""";

        var (thrown, thrownBody) = await service.Post("/v1/score", Sample("<think>boom</think> <answer>1</answer>"));
        var (fine, _) = await service.Post("/v1/score", Sample("<think>1</think> <answer>1</answer>"));
        var clock = Stopwatch.StartNew();
        var (overran, overranBody) = await service.Post("/v1/score", Sample("<think>slow</think> <answer>1</answer>"));
        var answeredIn = clock.Elapsed;
        var (overranAgain, _) = await service.Post("/v1/score", Sample("<think>slow again</think> <answer>1</answer>"));
        var (again, _) = await service.Post("/v1/score", Sample("<think>1</think> <answer>1</answer>"));
        var metrics = await service.Client.GetStringAsync("/metrics");

        Assert.Equal(500, thrown);
        Assert.Equal("flaky", (string)thrownBody!["plugin"]!);
        Assert.Equal("reward", (string)thrownBody["kind"]!);
        Assert.StartsWith("Score on prompt", (string)thrownBody["call"]!);
        Assert.Contains("threw InvalidOperationException: boom", (string)thrownBody["error"]!);
        Assert.Equal(500, overran);
        Assert.Equal("slow", (string)overranBody!["plugin"]!);
        Assert.Contains("no answer within its time limit of 0.5 s", (string)overranBody["error"]!);
        Assert.True(answeredIn < TimeSpan.FromSeconds(2.5), $"the overrunning request was answered after {answeredIn}, not at its limit of 0.5 s (the plugin sleeps 3 s)");
        Assert.Equal((500, 200, 200), (overranAgain, fine, again));
        Assert.Contains("harness_serve_plugin_faults_total{plugin=\"flaky\"} 1", metrics);
        Assert.Contains("harness_serve_plugin_faults_total{plugin=\"slow\"} 2", metrics);
        Assert.Contains("harness_serve_lanes_replaced_total 2", metrics);
        Assert.Contains("harness_serve_requests_total{endpoint=\"/v1/score\",status=\"500\"} 3", metrics);
        Assert.Equal(0, service.Terminate());
        var errors = File.ReadAllLines(Path.Combine(served, "errors.jsonl"));
        Assert.Equal(["flaky", "slow", "slow"], errors.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("plugin").GetString()));
        Assert.Contains(service.Error.Split('\n'), l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) && l.Contains("flaky", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_SIGTERM_requests_in_flight_finish_and_the_run_directory_keeps_their_step()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        TestPluginCompiler.Compile(plugins, "Test.Slow", TestPluginCompiler.Reward("slow", "Sleep()").Replace(
            "public sealed class ConstantReward : IReward\n{", "public sealed class ConstantReward : IReward\n{\n    private static double Sleep() { System.Threading.Thread.Sleep(1500); return 0.5; }"));
        var experiment = dir.File("slow.json", JsonSerializer.Serialize(new { extends = Experiment, pluginDirectories = new[] { plugins }, rewards = new object[] { new { name = "slow", weight = 1.0 }, new { } } }));
        var served = Path.Combine(dir.Path, "served");
        using var service = ServeProcess.Start(null, experiment, "--out", served, "--lanes", "4");
        var requests = Enumerable.Range(0, 4).Select(_ => service.Post("/v1/score",
            """{"step": 7, "samples": [{"prompt": "p", "completion": "<think>Wait, let me re-check.</think> <answer>1</answer>", "gold": "1"}]}""")).ToArray();
        await Task.Delay(500);

        var code = service.Terminate();
        var answers = await Task.WhenAll(requests);

        Assert.Equal(0, code);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal(0.5 + 0.1, (double)a.Body!["results"]![0]!["reward"]!, 12));
        var metrics = RunTests.Metrics(served).Single();
        Assert.Equal(7, metrics["step"].GetInt32());
        Assert.Equal(4, metrics["completions_scored"].GetDouble());
        Assert.Equal(1.0, metrics["self_verify_rate"].GetDouble());
        Assert.Equal(4, File.ReadAllLines(Path.Combine(served, "completions.jsonl")).Length);
        Assert.False(File.Exists(Path.Combine(served, "errors.jsonl")));
    }

    [Fact]
    public async Task The_run_directory_follows_the_training_steps_and_detect_reads_it_while_the_service_runs()
    {
        using var dir = new TempDirectory();
        var (stepped, windowed) = (Path.Combine(dir.Path, "stepped"), Path.Combine(dir.Path, "windowed"));
        var completions = Completions();
        string Batch(int? step, int from, int count) => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["step"] = step,
            ["samples"] = completions.Skip(from).Take(count).Select(c => new { prompt = c.Prompt, completion = c.Completion, gold = c.Gold }).ToArray(),
        });
        using (var service = ServeProcess.Start(null, Experiment, "--out", stepped, "--keep", "3"))
        {
            for (var step = 1; step <= 3; step++) Assert.Equal(200, (await service.Post("/v1/score", Batch(step, 0, 5))).Status);
            var late = await service.Post("/v1/score", Batch(1, 5, 4));
            var mixed = await service.Post("/v1/score", Batch(null, 0, 1));
            var detect = HarnessRunner.Run(["detect", stepped, "--json"]);
            var live = RunTests.Metrics(stepped);
            var metrics = await service.Client.GetStringAsync("/metrics");

            Assert.Equal(200, late.Status);
            Assert.Equal(400, mixed.Status);
            Assert.Equal("step", (string)mixed.Body!["field"]!);
            Assert.Equal([1, 2], live.Select(m => m["step"].GetInt32()));
            Assert.True(detect.ExitCode == 0, detect.Error);
            Assert.Contains("\"verdict\"", detect.Out);
            Assert.Contains("harness_serve_late_completions_total 4", metrics);
            Assert.Equal(0, service.Terminate());
        }
        using (var service = ServeProcess.Start(null, Experiment, "--out", windowed, "--window", "4"))
        {
            foreach (var i in Enumerable.Range(0, 10)) Assert.Equal(200, (await service.Post("/v1/score", Batch(null, i, 1))).Status);
            Assert.Equal(0, service.Terminate());
        }

        var steps = RunTests.Metrics(stepped);
        Assert.Equal([1, 2, 3], steps.Select(m => m["step"].GetInt32()));
        Assert.All(steps, m => Assert.Equal(5, m["completions_scored"].GetDouble()));
        Assert.Equal(9, File.ReadAllLines(Path.Combine(stepped, "completions.jsonl")).Length);
        var windows = RunTests.Metrics(windowed);
        Assert.Equal([1, 2, 3], windows.Select(m => m["step"].GetInt32()));
        Assert.Equal([4.0, 4.0, 2.0], windows.Select(m => m["completions_scored"].GetDouble()));
        Assert.True(File.Exists(Path.Combine(windowed, "config.json")) && File.Exists(Path.Combine(windowed, "manifest.json")));
        Assert.NotEmpty(Directory.GetFiles(windowed, "events.out.tfevents.*"));
        var doctor = HarnessRunner.Run(["doctor", windowed, "--json"]);
        Assert.True(doctor.ExitCode == 0, doctor.Error);
    }

    [Fact]
    public async Task A_rebuilt_plugin_is_served_after_a_restart_without_rebuilding_the_harness()
    {
        using var dir = new TempDirectory();
        var plugins = Path.Combine(dir.Path, "plugins");
        var experiment = dir.File("swap.json", JsonSerializer.Serialize(new { extends = Experiment, pluginDirectories = new[] { plugins }, rewards = new object[] { new { name = "swap", weight = 1.0 }, new { } } }));
        var harness = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        var before = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(harness)));
        async Task<double> Served(double value, string output)
        {
            TestPluginCompiler.Compile(plugins, "Test.Swap", TestPluginCompiler.ConstantReward("swap", value));
            using var service = ServeProcess.Start(null, experiment, "--out", Path.Combine(dir.Path, output));
            var (status, body) = await service.Post("/v1/score", """{"samples": [{"prompt": "p", "completion": "no tags", "gold": "1"}]}""");
            Assert.Equal(200, status);
            Assert.Equal(0, service.Terminate());
            return (double)body!["results"]![0]!["terms"]!["swap"]!;
        }

        Assert.Equal(0.25, await Served(0.25, "first"));
        Assert.Equal(0.75, await Served(0.75, "second"));
        Assert.Equal(before, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(harness))));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint_and_its_examples_are_served()
    {
        using var dir = new TempDirectory();
        using var service = ServeProcess.Start(null, Experiment, "--out", Path.Combine(dir.Path, "served"));
        var document = JsonNode.Parse(await service.Client.GetStringAsync("/openapi.json"))!;
        var paths = document["paths"]!.AsObject();

        Assert.Equal("3.1.0", (string)document["openapi"]!);
        Assert.Equal(["/get_reward", "/v1/score", "/healthz", "/readyz", "/metrics", "/openapi.json"], paths.Select(p => p.Key));
        foreach (var (path, item) in paths)
        {
            if (item!["post"] is { } post)
            {
                // Each example on a service of its own: one names its step and the other does not, and a service counts steps one way.
                using var own = ServeProcess.Start(null, Experiment, "--out", Path.Combine(dir.Path, path.Trim('/').Replace('/', '-')));
                var (status, _) = await own.Post(path, post["requestBody"]!["content"]!["application/json"]!["example"]!.ToJsonString());
                Assert.Equal(200, status);
                Assert.Contains("harness_serve_completions_total 1", await own.Client.GetStringAsync("/metrics"));
                Assert.Equal(0, own.Terminate());
            }
            else Assert.Equal(200, (int)(await service.Client.GetAsync(path)).StatusCode);
        }
        Assert.Contains("\"status\":\"ready\"", await service.Client.GetStringAsync("/readyz"));
        Assert.Equal(0, service.Terminate());
    }
}
