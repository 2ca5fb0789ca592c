using System.Text.Json;
using Harness.Grpo;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>The seed's hand-computed GRPO step, reproduced by the product and pinned.</summary>
public class WalkthroughTests
{
    private static readonly string[] Args =
    [
        "advantages", "--rewards", "1.1,0.1,1.1,0.1", "--lengths", "92,78,14,10",
        "--shapes", "self-verify,self-verify,single-pass,single-pass",
    ];

    [Fact]
    public void Walkthrough_numbers_match_the_hand_computation()
    {
        var report = GradientWalkthrough.Build([1.1, 0.1, 1.1, 0.1], [92, 78, 14, 10],
            ["self-verify", "self-verify", "single-pass", "single-pass"], new AdvantageOptions());

        Assert.Equal(0.6, report.Mean, 12);
        Assert.Equal(0.5, report.Std, 12);
        Assert.Equal([1, -1, 1, -1], report.Rows.Select(r => Math.Round(r.Advantage, 12)));
        Assert.Equal([92, 78, 14, 10], report.Rows.Select(r => Math.Round(r.Mass, 10)));
        Assert.Equal(14, report.NetMass["self-verify"], 10);
        Assert.Equal(4, report.NetMass["single-pass"], 10);
        Assert.Equal(3.5, report.Ratio!.Value, 10);
        // Averaging over each completion's tokens removes the length effect entirely.
        Assert.Equal(0, report.Aggregation["seq-mean-token-mean"]["self-verify"], 12);
        Assert.Null(GradientWalkthrough.RatioOfTopTwo(report.Aggregation["seq-mean-token-mean"].Values));
    }

    [Fact]
    public void Advantages_command_prints_the_walkthrough_table()
    {
        var result = HarnessRunner.Run(Args);

        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(result.Console);
    }

    [Fact]
    public void Advantages_command_json_has_the_documented_fields()
    {
        var result = HarnessRunner.Run([.. Args, "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(["mean", "std", "advantages", "mass", "net_mass", "ratio", "aggregation", "estimators"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.6, json.RootElement.GetProperty("mean").GetDouble());
        Assert.Equal(3.5, json.RootElement.GetProperty("ratio").GetDouble());
        // The walkthrough's group under each estimator: RLOO is 4/3 of the centred rewards (±0.5); GRPO divides by std 0.5.
        var estimators = json.RootElement.GetProperty("estimators");
        Assert.Equal(["grpo", "rloo", "reinforce-plus-plus-baseline"], estimators.EnumerateObject().Select(p => p.Name));
        Assert.Equal([1, -1, 1, -1], estimators.GetProperty("grpo").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([Math.Round(2 / 3.0, 10), Math.Round(-2 / 3.0, 10), Math.Round(2 / 3.0, 10), Math.Round(-2 / 3.0, 10)],
            estimators.GetProperty("rloo").EnumerateArray().Select(e => e.GetDouble()));
        Snapshot.Match(result.Out);
    }

    [Fact]
    public void Sample_std_and_no_scaling_change_the_advantages()
    {
        var sample = HarnessRunner.Run([.. Args, "--std", "sample", "--json"]);
        var none = HarnessRunner.Run([.. Args, "--scale", "none", "--json"]);

        using var s = JsonDocument.Parse(sample.Out);
        using var n = JsonDocument.Parse(none.Out);
        // Sample std of {1.1, 0.1, 1.1, 0.1} is sqrt(1/3); Dr. GRPO leaves the centred rewards ±0.5.
        Assert.Equal(Math.Round(Math.Sqrt(1.0 / 3), 10), s.RootElement.GetProperty("std").GetDouble());
        Assert.Equal(Math.Round(0.5 / Math.Sqrt(1.0 / 3), 10), s.RootElement.GetProperty("advantages")[0].GetDouble());
        Assert.Equal([0.5, -0.5, 0.5, -0.5], n.RootElement.GetProperty("advantages").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(3.5, n.RootElement.GetProperty("ratio").GetDouble());
    }
}
