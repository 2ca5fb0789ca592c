using System.Text.Json;
using Harness.Core;
using Harness.Grpo;
using Harness.Tests.Golden.Fixtures;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// Every GRPO variant against the PyTorch peer (bench/python/grpo_variants.py, written from verl's and TRL's formulas): the
/// same seeded inputs, recomputed here, within 1e-6. Regenerate the file with the command in the script's docstring.
/// </summary>
[Collection(TorchCollection.Name)]
public class VariantPeerTests
{
    private const double Tolerance = 1e-6;
    private static readonly JsonElement Peer = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "tests/Golden/Fixtures/Variants/peer.json"))).RootElement;

    private static double[][] Matrix(JsonElement e) => [.. e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())];

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: peer {expected:R}, harness {actual:R}");

    [Fact]
    public void Advantages_of_every_estimator_match_the_peer()
    {
        var cases = Peer.GetProperty("advantages").EnumerateArray().ToArray();
        Assert.True(cases.Length >= 40);
        foreach (var (c, n) in cases.Select((c, n) => (c, n)))
        {
            var rewards = Matrix(c.GetProperty("rewards"));
            var lengths = c.GetProperty("lengths").EnumerateArray().Select(r => (IReadOnlyList<int>)[.. r.EnumerateArray().Select(v => v.GetInt32())]).ToArray();
            foreach (var (key, options) in new (string, AdvantageOptions)[]
            {
                ("grpo_group_population", new(AdvantageScale.Group, StdKind.Population)),
                ("grpo_group_sample", new(AdvantageScale.Group, StdKind.Sample)),
                ("grpo_batch_population", new(AdvantageScale.Batch, StdKind.Population)),
                ("grpo_none", new(AdvantageScale.None)),
                ("rloo", new(Estimator: AdvantageEstimator.Rloo)),
                ("reinforce_plus_plus_baseline", new(Estimator: AdvantageEstimator.ReinforcePlusPlusBaseline)),
            })
            {
                var expected = Matrix(c.GetProperty(key));
                var actual = Advantages.Compute(rewards, options, lengths);
                for (var g = 0; g < rewards.Length; g++)
                    for (var i = 0; i < rewards[g].Length; i++)
                        Close(expected[g][i], actual.Groups[g].Values[i], $"case {n}, {key}, group {g}, completion {i}");
            }
        }
    }

    [Fact]
    public void Loss_clip_fraction_and_gradient_of_every_surrogate_and_aggregation_match_the_peer()
    {
        var cases = Peer.GetProperty("losses").EnumerateArray().ToArray();
        Assert.Equal(72, cases.Length);
        foreach (var (c, n) in cases.Select((c, n) => (c, n)))
        {
            var what = $"case {n} ({c.GetProperty("kind").GetString()}, {c.GetProperty("aggregation").GetString()}, β {c.GetProperty("beta").GetDouble()})";
            var lengths = c.GetProperty("lengths").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var options = new PolicyLossOptions(VariantName.Parse<LossAggregation>(c.GetProperty("aggregation").GetString()!, "aggregation"),
                c.GetProperty("clip_low").GetDouble(), c.GetProperty("clip_high").GetDouble(), c.GetProperty("beta").GetDouble(), KlEstimator.K3,
                c.GetProperty("norm_length").GetInt32(), VariantName.Parse<PolicyLossKind>(c.GetProperty("kind").GetString()!, "kind"),
                c.GetProperty("sequence_clip_low").GetDouble(), c.GetProperty("sequence_clip_high").GetDouble());
            var logProbs = Tensor2(c.GetProperty("log_probs")).requires_grad_();
            var result = PolicyLoss.Compute(logProbs, Tensor2(c.GetProperty("old_log_probs")), Tensor2(c.GetProperty("reference_log_probs")),
                [.. c.GetProperty("advantages").EnumerateArray().Select(v => v.GetDouble())], lengths, options);
            result.Loss.backward();
            Close(c.GetProperty("loss").GetDouble(), result.Loss.item<float>(), $"{what}: loss");
            Close(c.GetProperty("clip_fraction").GetDouble(), result.ClipFraction, $"{what}: clip fraction");
            var expected = Matrix(c.GetProperty("gradient"));
            var actual = logProbs.grad!.data<float>().ToArray();
            var width = expected[0].Length;
            for (var i = 0; i < expected.Length; i++)
                for (var t = 0; t < width; t++)
                    Close(expected[i][t], actual[i * width + t], $"{what}: d loss / d log π[{i}, {t}]");
        }
    }

    [Fact]
    public void Overlong_penalties_match_the_peer()
    {
        foreach (var c in Peer.GetProperty("overlong").EnumerateArray())
            Close(c.GetProperty("penalty").GetDouble(), OverlongShaping.Penalty(c.GetProperty("length").GetInt32(), c.GetProperty("max_length").GetInt32(),
                c.GetProperty("buffer").GetInt32(), c.GetProperty("factor").GetDouble()), $"overlong {c}");
    }

    private static Tensor Tensor2(JsonElement e)
    {
        var rows = Matrix(e);
        return tensor(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), [rows.Length, rows[0].Length]);
    }
}
