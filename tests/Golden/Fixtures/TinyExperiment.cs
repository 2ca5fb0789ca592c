using System.Text.Json.Nodes;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// A small, fast experiment for engine tests: a one-layer tiny GPT trained on a test reward that gives even
/// an untrained model a signal (the share of digits in its completion).
/// </summary>
public static class TinyExperiment
{
    public const string DigitShareReward = "digit-share";

    /// <summary>Compiles the test reward into <paramref name="pluginsDir"/>.</summary>
    public static void CompileRewards(string pluginsDir) =>
        TestPluginCompiler.Compile(pluginsDir, "Test.DigitShare", $$"""
            using System.Collections.Generic;
            using System.Linq;
            using Harness.Abstractions;
            [assembly: HarnessContract(ContractVersion.Current)]
            [Plugin("{{DigitShareReward}}")]
            public sealed class DigitShare : IReward
            {
                public IReadOnlyList<RewardTerm> Score(PromptGroup group) => new[] { new RewardTerm("digits",
                    group.Completions.Select(c => c.Length == 0 ? 0.0 : c.Count(char.IsDigit) / (double)c.Length).ToArray()) };
            }
            """);

    /// <summary>The experiment as JSON; <paramref name="rewards"/> are reward plugin names.</summary>
    public static string Json(string pluginsDir, int steps = 6, params string[] rewards)
    {
        var rewardList = new JsonArray([.. (rewards.Length == 0 ? [DigitShareReward, "accuracy"] : rewards)
            .Select(r => (JsonNode)new JsonObject { ["name"] = r, ["weight"] = 1.0 })]);
        return new JsonObject
        {
            ["name"] = "tiny-test",
            ["seed"] = 7,
            ["device"] = "cpu",
            ["pluginDirectories"] = new JsonArray(pluginsDir),
            ["policy"] = new JsonObject
            {
                ["name"] = "tiny-gpt",
                ["settings"] = new JsonObject { ["layers"] = "1", ["width"] = "32", ["heads"] = "2", ["context"] = "48" },
            },
            ["rewards"] = rewardList,
            ["detectors"] = new JsonArray(new JsonObject { ["name"] = "self-verification" }, new JsonObject { ["name"] = "aha-moment" }),
            ["grpo"] = new JsonObject { ["groupSize"] = 4, ["promptsPerStep"] = 4, ["beta"] = 0.04, ["epochs"] = 2 },
            ["sampling"] = new JsonObject { ["maxNewTokens"] = 24 },
            ["optimizer"] = new JsonObject { ["learningRate"] = 0.01, ["schedule"] = "cosine", ["warmupSteps"] = 1 },
            ["tasks"] = new JsonObject { ["evalSize"] = 8 },
            ["run"] = new JsonObject { ["steps"] = steps, ["checkpointEvery"] = 2, ["evalEvery"] = 3, ["samplesPerStep"] = 2, ["threads"] = 2 },
        }.ToJsonString();
    }
}
