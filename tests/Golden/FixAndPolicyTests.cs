using Harness.Abstractions;
using Harness.Plugins.Fixes;
using Harness.Plugins.Policies;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden;

/// <summary>The first fix strategy and the replay policy.</summary>
public class FixAndPolicyTests
{
    [Fact]
    public void Plateau_guard_acts_once_when_the_rate_falls_back()
    {
        var guard = new PlateauGuard(new PluginSettings("plateau-guard", new Dictionary<string, string> { ["window"] = "2" }));
        double[] rates = [0.05, 0.1, 0.4, 0.6, 0.6, 0.5, 0.2, 0.1, 0.05, 0.05];

        var decisions = rates.Select((r, step) => (step, decision: guard.Review(
            new StepReview(step, new Dictionary<string, double> { ["self_verify_rate"] = r }, 1e-3, 0.0)))).ToArray();

        var acted = decisions.Where(d => d.decision is not null).ToArray();
        var (step, decision) = Assert.Single(acted);
        // Moving average over 2 steps: 0.6 at its peak, 0.15 at step 7, the first below half the peak.
        Assert.Equal(7, step);
        Assert.Equal(5e-4, decision!.LearningRate!.Value, 12);
        Assert.Equal(0.02, decision.Beta!.Value, 12);
        Assert.Contains("self_verify_rate fell to 0.15", decision.Reason);
    }

    [Fact]
    public void Plateau_guard_ignores_a_rate_that_never_rose()
    {
        var guard = new PlateauGuard(new PluginSettings("plateau-guard"));
        var decisions = Enumerable.Range(0, 30).Select(step => guard.Review(
            new StepReview(step, new Dictionary<string, double> { ["self_verify_rate"] = step % 2 == 0 ? 0.1 : 0.0 }, 1e-3, 0.04)));
        Assert.All(decisions, Assert.Null);
    }

    [Fact]
    public void Replay_draws_recorded_completions_reproducibly()
    {
        using var dir = new TempDirectory();
        var file = dir.File("c.jsonl", """
            {"prompt": "a", "completion": "one"}
            {"prompt": "a", "completion": "two"}

            {"prompt": "b", "completion": "a long completion"}
            """);
        var policy = new ReplayPolicy(new PluginSettings("replay", new Dictionary<string, string> { ["file"] = file }));
        var request = new SamplingRequest(["a", "b"], 6, 8, 1, 1, 42);

        var first = policy.Sample(request);
        var again = policy.Sample(request);

        Assert.Equal(first.SelectMany(g => g.Select(c => c.Text)), again.SelectMany(g => g.Select(c => c.Text)));
        Assert.All(first[0], c => Assert.Contains(c.Text, new[] { "one", "two" }));
        Assert.All(first[1], c => Assert.Equal(new SampledCompletion("a long c", 8, true), c));
    }

    [Fact]
    public void Replay_names_a_bad_line_and_an_unknown_prompt()
    {
        using var dir = new TempDirectory();
        var file = dir.File("c.jsonl", "{\"prompt\": \"a\", \"completion\": \"x\"}\n{\"prompt\": \"a\"}\n");
        var bad = Assert.Throws<FormatException>(() => new ReplayPolicy(new PluginSettings("replay", new Dictionary<string, string> { ["file"] = file })));
        Assert.StartsWith($"Policy 'replay': {file} line 2 is not an object with string fields 'prompt' and 'completion'", bad.Message);

        var good = dir.File("d.jsonl", "{\"prompt\": \"a\", \"completion\": \"x\"}\n");
        var policy = new ReplayPolicy(new PluginSettings("replay", new Dictionary<string, string> { ["file"] = good }));
        var unknown = Assert.Throws<InvalidOperationException>(() => policy.Sample(new SamplingRequest(["zzz"], 2, 10, 1, 1, 0)));
        Assert.Equal($"Policy 'replay': {good} has no completion for prompt 'zzz'.", unknown.Message);
    }
}
