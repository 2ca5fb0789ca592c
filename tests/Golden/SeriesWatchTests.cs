using Harness.Abstractions;
using Harness.Catalog;
using Harness.Runs;
using Harness.Training;

namespace Harness.Tests.Golden;

/// <summary>
/// The live verdict holds still: a change is announced once the new verdict has held <c>run.verdictHold</c> steps, a
/// one-step flicker never is, the last step announces what is waiting, and a resumed watch replays the holds exactly.
/// </summary>
public class SeriesWatchTests
{
    /// <summary>The main job's flicker (aha at 63, no-aha at 66, aha again from 67), then a late change at the last two steps.</summary>
    private static readonly string[] Script =
        [.. Enumerable.Repeat("too-short", 19), .. Enumerable.Repeat("no-aha", 43), "aha", "aha", "aha", "no-aha", "aha", "aha", "aha", "aha", "no-aha", "no-aha"];

    private sealed class Scripted(string[] verdicts) : ISeriesDetector
    {
        public SeriesReport Analyze(MetricSeries series) => new(verdicts[series.Steps.Count - 1], new Dictionary<string, double>(), "scripted");
    }

    private static PluginHandle<ISeriesDetector> Detector() => new(PluginKind.SeriesDetector, "aha-moment", new Scripted(Script), TimeSpan.FromSeconds(10));

    private static MetricHistory Steps(int count)
    {
        var history = new MetricHistory();
        for (var step = 1; step <= count; step++) history.Add(step, [KeyValuePair.Create<string, double?>("reward_mean", 0)]);
        return history;
    }

    private static List<VerdictChange> Watch(SeriesWatch watch, int from, int through)
    {
        var changes = new List<VerdictChange>();
        for (var step = from; step <= through; step++) changes.AddRange(watch.Review(Steps(step).ToSeries(), last: step == Script.Length));
        return changes;
    }

    [Fact]
    public void A_verdict_is_announced_after_it_held_and_a_flicker_never_is()
    {
        var changes = Watch(new SeriesWatch([Detector()], hold: 3), 1, Script.Length);

        Assert.Equal([(1, "too-short", (string?)null, 1, (int?)null), (22, "no-aha", "too-short", 20, 19), (65, "aha", "no-aha", 63, 43), (72, "no-aha", "aha", 71, 8)],
            changes.Select(c => (c.Step, c.Report.Verdict, c.Previous, c.Since, c.PreviousHeld)));
    }

    [Fact]
    public void Without_a_hold_every_change_is_announced_at_once()
    {
        var changes = Watch(new SeriesWatch([Detector()], hold: 1), 1, Script.Length);

        Assert.Equal(["too-short", "no-aha", "aha", "no-aha", "aha", "no-aha"], changes.Select(c => c.Report.Verdict));
        Assert.All(changes, c => Assert.Equal(c.Step, c.Since));
    }

    [Fact]
    public void A_primed_watch_announces_what_one_that_ran_through_would()
    {
        var through = Watch(new SeriesWatch([Detector()], hold: 3), 1, Script.Length);
        foreach (var resumeAfter in new[] { 20, 63, 64, 66 })
        {
            var primed = new SeriesWatch([Detector()], hold: 3);
            primed.Prime(Steps(resumeAfter));

            Assert.Equal(through.Where(c => c.Step > resumeAfter).Select(c => (c.Step, c.Report.Verdict, c.Since, c.PreviousHeld)),
                Watch(primed, resumeAfter + 1, Script.Length).Select(c => (c.Step, c.Report.Verdict, c.Since, c.PreviousHeld)));
        }
    }
}
