using Harness.Plugins.Detectors;
using Harness.Tests.Golden.Fixtures;
using Harness.Tests.Golden.Fixtures.Detection;

namespace Harness.Tests.Golden;

/// <summary>
/// The first-party detectors on the labelled corpus (tests/Golden/Fixtures/Detection): the corpus is what its guide
/// says (every flag labelled, realistic size and spread), and the detectors get its labels right. The thresholds sit
/// below today's figures (README, "Detectors") so a new record that exposes a miss can be added without a code change
/// in the same commit; a regression of more than a few records fails.
/// </summary>
public class DetectionCorpusTests
{
    private static readonly IReadOnlyList<CorpusRecord> Records = DetectionCorpus.Load(Path.Combine(RepoRoot.Path, "tests", "Golden", "Fixtures", "Detection"));

    [Fact]
    public void The_corpus_is_labelled_as_its_guide_says()
    {
        Assert.True(Records.Count >= 300, $"{Records.Count} records");
        Assert.True(Records.Select(r => r.Lang).Distinct().Count() >= 10);
        Assert.Equal(Records.Count, Records.Select(r => r.Id).Distinct().Count());
        Assert.All(Records, r => Assert.True(DetectionCorpus.Flags.All(r.Labels.ContainsKey) && r.Labels.Count == DetectionCorpus.Flags.Length, r.Id));
        // Every flag has positives and negatives to be measured on; a mixed-language label needs a re-check.
        Assert.All(DetectionCorpus.Flags, flag => Assert.InRange(Records.Count(r => r.Labels[flag]), 5, Records.Count - 5));
        Assert.All(Records.Where(r => r.Labels["mixed-language"]), r => Assert.True(r.Labels["self-verify"] || r.Labels["phrase-outside-think"], r.Id));
    }

    [Fact]
    public void The_detectors_get_at_least_97_percent_of_each_flag_and_98_percent_of_all_labels_right()
    {
        var scores = DetectionCorpus.Score(Records);
        var report = string.Join("\n", scores.SelectMany(s => s.Missed.Select(r => $"missed {s.Flag}: {r.Id}").Concat(s.Wrong.Select(r => $"wrongly {s.Flag}: {r.Id}"))));
        Assert.All(scores, s => Assert.True(s.Right >= 0.97 * s.Total, $"{s.Flag}: {s.Right}/{s.Total} right\n{report}"));
        Assert.True(scores.Sum(s => s.Right) >= 0.98 * scores.Sum(s => s.Total), report);
    }

    [Fact]
    public void Re_derivations_alone_find_re_checks_no_phrase_names_and_never_flag_a_record_without_one()
    {
        var detector = new SelfVerificationDetector();
        var structural = Records.Select(r => (Record: r, Flags: detector.Detect(DetectionCorpus.Input(r)).Completions[0].Flags)).ToArray();
        var rederivedOnly = structural.Where(s => s.Flags.SequenceEqual([SelfVerificationDetector.RederivedFlag, SelfVerificationDetector.InThinkFlag])).ToArray();
        Assert.True(rederivedOnly.Length >= 10, $"{rederivedOnly.Length} re-checks found by their numbers alone");
        Assert.All(structural.Where(s => s.Flags.Contains(SelfVerificationDetector.RederivedFlag)), s => Assert.True(s.Record.Labels["self-verify"], s.Record.Id));
    }
}
