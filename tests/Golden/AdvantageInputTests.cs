using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>Bad input to <c>harness advantages</c> fails with a message naming the culprit.</summary>
public class AdvantageInputTests
{
    [Theory]
    [InlineData("1.1,0.1,1.1", "92,78,14,10", "a,a,b,b", "Got 3 rewards, 4 lengths and 4 shapes")]
    [InlineData("1.1,NaN,1.1,0.1", "92,78,14,10", "a,a,b,b", "completion 1: reward is NaN")]
    [InlineData("1.1,0.1,Infinity,0.1", "92,78,14,10", "a,a,b,b", "completion 2: reward is Infinity")]
    [InlineData("1.1,abc,1.1,0.1", "92,78,14,10", "a,a,b,b", "--rewards: item 2 ('abc') is not a number")]
    [InlineData("1.1,0.1,1.1,0.1", "92,0,14,10", "a,a,b,b", "--lengths: item 2 ('0') is not a positive whole number")]
    [InlineData("1.1,0.1,1.1,0.1", "92,78,14,10", "a,a,b,b --std median", "--std: 'median' is not one of population, sample")]
    public void Bad_input_is_named(string rewards, string lengths, string shapes, string expected)
    {
        var extra = shapes.Split(' ');
        var result = HarnessRunner.Run(["advantages", "--rewards", rewards, "--lengths", lengths, "--shapes", extra[0], .. extra.Skip(1)]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void An_empty_group_is_refused()
    {
        var e = Assert.Throws<HarnessException>(() => Grpo.Advantages.ForGroup([], new Grpo.AdvantageOptions()));
        Assert.Equal("Group 0 is empty: every group needs at least one reward.", e.Message);
    }

    [Fact]
    public void A_missing_list_is_a_usage_error()
    {
        var result = HarnessRunner.Run(["advantages", "--rewards", "1,0"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--lengths is required", result.Console + result.Error);
    }
}
