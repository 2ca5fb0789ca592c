using Harness.Experiments;
using Harness.Grpo;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>Experiment configs: file plus overrides, validation, and plugin resolution.</summary>
public class ExperimentConfigTests
{
    private const string Valid = """
        {
          "name": "comparator",
          "seed": 7,
          "policy": { "name": "replay", "settings": { "file": "COMPLETIONS" } },
          "rewards": [ { "name": "accuracy" }, { "name": "format", "weight": 0.5 } ],
          "detectors": [ { "name": "self-verification" }, { "name": "length" } ],
          "fixes": [ { "name": "plateau-guard", "settings": { "window": "3" } } ],
          "grpo": { "groupSize": 4, "lossAggregation": "seq-mean-token-sum" }
        }
        """;

    private static string WriteExperiment(TempDirectory dir, string json = Valid)
    {
        var completions = dir.File("completions.jsonl",
            string.Join("\n", ComparatorCompletions.All.Select(c =>
                System.Text.Json.JsonSerializer.Serialize(new { prompt = ComparatorCompletions.Prompt, completion = c.Text }))));
        return dir.File("experiment.json", json.Replace("COMPLETIONS", completions));
    }

    [Fact]
    public void A_config_loads_with_overrides_applied()
    {
        using var dir = new TempDirectory();
        var config = ExperimentLoader.Load(WriteExperiment(dir), ["grpo.groupSize=16", "rewards:1:weight=2", "grpo.std=sample"]);

        Assert.Equal(7, config.Seed);
        Assert.Equal(16, config.Grpo.GroupSize);
        Assert.Equal(StdKind.Sample, config.Grpo.Std);
        Assert.Equal([1.0, 2.0], config.Rewards.Select(r => r.Weight));
        Assert.Equal("3", config.Fixes[0].Settings["window"]);
    }

    [Fact]
    public void A_config_extends_its_base_key_by_key_and_overrides_still_win()
    {
        using var dir = new TempDirectory();
        WriteExperiment(dir);
        Directory.CreateDirectory(Path.Combine(dir.Path, "controls"));
        var control = dir.File(Path.Combine("controls", "control.json"), """
            { "extends": "../experiment.json", "name": "control", "grpo": { "beta": 0.04 }, "rewards": [ { "name": "strict" } ] }
            """);

        var config = ExperimentLoader.Load(control, ["grpo.groupSize=16"]);

        Assert.Equal(("control", 7L), (config.Name, config.Seed));
        Assert.Equal((16, 0.04, LossAggregation.SeqMeanTokenSum), (config.Grpo.GroupSize, config.Grpo.Beta, config.Grpo.LossAggregation));
        Assert.Equal([("strict", 1.0), ("format", 0.5)], config.Rewards.Select(r => (r.Name, r.Weight)));
        Assert.Equal("3", config.Fixes[0].Settings["window"]);
    }

    [Fact]
    public void An_empty_list_in_an_extending_config_empties_the_base_list_and_keys_match_in_any_case()
    {
        using var dir = new TempDirectory();
        WriteExperiment(dir);
        var bare = dir.File("bare.json", """
            { "extends": "experiment.json", "Detectors": [], "fixes": [], "GRPO": { "GroupSize": 2 }, "rewards": [ {}, { "settings": { "k": "v" } } ] }
            """);

        var config = ExperimentLoader.Load(bare);

        Assert.Empty(config.Detectors);
        Assert.Empty(config.Fixes);
        Assert.Equal((2, LossAggregation.SeqMeanTokenSum), (config.Grpo.GroupSize, config.Grpo.LossAggregation));
        Assert.Equal([("accuracy", 1.0), ("format", 0.5)], config.Rewards.Select(r => (r.Name, r.Weight)));
        Assert.Equal("v", config.Rewards[1].Settings["k"]);
    }

    [Fact]
    public void An_extends_loop_or_a_missing_base_is_named()
    {
        using var dir = new TempDirectory();
        var a = dir.File("a.json", """{ "extends": "b.json" }""");
        dir.File("b.json", """{ "extends": "a.json" }""");
        var orphan = dir.File("orphan.json", """{ "extends": "gone.json" }""");

        var loop = Assert.Throws<HarnessException>(() => ExperimentLoader.Load(a));
        var missing = Assert.Throws<HarnessException>(() => ExperimentLoader.Load(orphan));

        Assert.Contains("'extends' loops", loop.Message);
        Assert.Contains("b.json -> ", loop.Message);
        Assert.Contains("extends 'gone.json'", missing.Message);
        Assert.Contains("orphan.json", missing.Message);
    }

    [Fact]
    public void Check_resolves_every_plugin()
    {
        using var dir = new TempDirectory();
        var result = HarnessRunner.Run(["check", WriteExperiment(dir)]);

        Assert.Equal(0, result.ExitCode);
        foreach (var name in new[] { "replay", "accuracy", "format", "self-verification", "length", "plateau-guard" })
            Assert.Contains(name, result.Console);
        Assert.Contains("all 6 plugins resolved", result.Console);
    }

    [Fact]
    public void An_unknown_plugin_in_a_config_lists_the_names_found()
    {
        using var dir = new TempDirectory();
        var result = HarnessRunner.Run(["check", WriteExperiment(dir, Valid.Replace("\"self-verification\"", "\"self-verify\""))]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No detector or series-detector plugin named 'self-verify'. Detector or series-detector plugins found: format-hacking, language-mixing, length, repetition, ritual-verification, self-verification, aha-moment", result.Error);
    }

    [Fact]
    public void Invalid_fields_are_all_named_with_the_file()
    {
        using var dir = new TempDirectory();
        var path = WriteExperiment(dir);

        var e = Assert.Throws<HarnessException>(() => ExperimentLoader.Load(path,
            ["grpo.groupSize=1", "grpo.clipLow=1.5", "rewards.0.name="]));
        Assert.Equal(
            $"{path} is not a valid experiment:{Environment.NewLine}" +
            $"  - rewards[0].name is required{Environment.NewLine}" +
            $"  - grpo.groupSize must be at least 2 (got 1){Environment.NewLine}" +
            "  - grpo.clipLow must be between 0 and 1, exclusive (got 1.5)",
            e.Message);
    }

    [Theory]
    [InlineData("grpo.lossAggregation=sum", "grpo.lossAggregation: 'sum' is not one of seq-mean-token-mean, token-mean, seq-mean-token-sum, seq-mean-token-sum-norm.")]
    [InlineData("grpo.kl=k4", "grpo.kl: 'k4' is not one of k1, k2, k3.")]
    [InlineData("device=tpu", "device: 'tpu' is not one of auto, cpu, cuda.")]
    [InlineData("optimizer.schedule=step", "optimizer.schedule: 'step' is not one of constant, linear, cosine.")]
    [InlineData("tasks.source=web", "tasks.source: 'web' is not one of arithmetic, file.")]
    public void A_variant_is_parsed_once_where_the_config_loads_and_a_wrong_name_lists_the_accepted_ones(string setting, string expected)
    {
        using var dir = new TempDirectory();
        var path = WriteExperiment(dir);

        var e = Assert.Throws<HarnessException>(() => ExperimentLoader.Load(path, [setting]));

        Assert.Equal($"{path}: {expected}", e.Message);
    }

    [Fact]
    public void The_loaded_experiment_carries_its_variants_typed_and_writes_them_back_by_name()
    {
        using var dir = new TempDirectory();
        var config = ExperimentLoader.Load(WriteExperiment(dir), ["grpo.lossAggregation=SEQ-MEAN-TOKEN-SUM-NORM", "grpo.kl=k1", "device=cpu"]);

        Assert.Equal((LossAggregation.SeqMeanTokenSumNorm, KlEstimator.K1, DeviceChoice.Cpu), (config.Grpo.LossAggregation, config.Grpo.Kl, config.Device));
        var written = System.Text.Json.JsonSerializer.Serialize(config, new System.Text.Json.JsonSerializerOptions { Converters = { new Harness.Core.VariantJsonConverter() } });
        Assert.Contains("\"LossAggregation\":\"seq-mean-token-sum-norm\"", written);
        Assert.Contains("\"Kl\":\"k1\"", written);
    }

    [Fact]
    public void An_unknown_key_is_an_error_not_a_silent_default()
    {
        using var dir = new TempDirectory();
        var path = WriteExperiment(dir, Valid.Replace("\"groupSize\"", "\"gropSize\""));

        var e = Assert.Throws<HarnessException>(() => ExperimentLoader.Load(path));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains("gropSize", e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named()
    {
        using var dir = new TempDirectory();
        var path = WriteExperiment(dir);

        var e = Assert.Throws<HarnessException>(() => ExperimentLoader.Load(path, ["seed=soon"]));
        Assert.Contains(path, e.Message);
        Assert.Contains("seed", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Malformed_json_names_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("broken.json", "{ \"name\": \"x\", ");

        var e = Assert.Throws<HarnessException>(() => ExperimentLoader.Load(path));
        Assert.StartsWith($"{path}: ", e.Message);
    }

    [Theory]
    [InlineData("", "{0} is empty: an experiment is a JSON object.")]
    [InlineData("  \n\n ", "{0} is empty: an experiment is a JSON object.")]
    [InlineData("name: x", "{0}: not valid JSON at line 1, position 2: 'name: x' is an invalid JSON literal. Expected the literal 'null'.")]
    [InlineData("<experiment/>", "{0}: not valid JSON at line 1, position 1: '<' is an invalid start of a value.")]
    [InlineData("{\n  \"name\": \"x\",\n  \"seed\": 1 2\n}", "{0}: not valid JSON at line 3, position 13: '2' is invalid after a value. Expected either ',', '}}', or ']'.")]
    [InlineData("[1, 2]", "{0}: the top level is an array, not a JSON object.")]
    [InlineData("{ \"extends\": 3 }", "{0}: 'extends' must be a string, the file this one builds on (got 3).")]
    public void An_empty_or_non_json_experiment_names_the_file_line_and_position(string text, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json", text);

        var result = HarnessRunner.Run(["check", path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path)}", result.Error.Trim());
    }

    [Fact]
    public void A_malformed_override_is_named()
    {
        var e = Assert.Throws<HarnessException>(() => ExperimentLoader.ParseOverrides(["groupSize"]).ToArray());
        Assert.Equal("Override 'groupSize' is not of the form key=value (e.g. grpo.groupSize=16).", e.Message);
    }

    [Fact]
    public void A_missing_experiment_file_is_named()
    {
        var result = HarnessRunner.Run(["check", "/no/such/experiment.json"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Experiment file '/no/such/experiment.json' does not exist.", result.Error);
    }
}
