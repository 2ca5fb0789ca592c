using Harness.Abstractions;
using Harness.Plugins.Detectors;
using Harness.Plugins.Fixes;
using Harness.Plugins.Rewards;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>
/// The failure-mode detectors and their fixes on hand-written completions of "What is 58 + 67?" (125):
/// each detector's flags and step rates, and the fix's values on the same texts.
/// </summary>
public class FailureModeDetectorTests
{
    private const string Prompt = "What is 58 + 67?";
    private static readonly Dictionary<string, string> Task = new() { ["gold"] = "125" };

    private static DetectorInput Input(IReadOnlyList<string> texts, bool[]? truncated = null, bool rescore = true)
    {
        var accuracy = new AccuracyReward(new PluginSettings("accuracy"));
        double Accuracy(string text) => accuracy.Score(Reading.Group(Prompt, Task, [text])).Single().Values[0];
        var completions = texts.Select((t, i) => new ScoredCompletion(0, Prompt, Task, t, t.Length, truncated?[i] ?? false, Accuracy(t),
            new Dictionary<string, double> { ["accuracy"] = Accuracy(t) })).ToArray();
        return Reading.Input(3, completions) with
        {
            Rescore = rescore ? (_, text) => new Dictionary<string, double> { ["accuracy"] = Accuracy(text) } : null,
        };
    }

    private static IReadOnlyList<double> Reward(IReward reward, IReadOnlyList<string> texts) => reward.Score(Reading.Group(Prompt, Task, texts)).Single().Values;

    private static readonly Dictionary<string, string> Rechecks = new()
    {
        ["ritual, right guess"] = "<think>58 + 67 = 125. Wait, let me re-check: 58 + 67 = 125.</think><answer>125</answer>",
        ["ritual, wrong guess"] = "<think>58 + 67 = 115. Wait, let me re-check: 58 + 67 = 115.</think><answer>115</answer>",
        ["real re-check that corrects"] = "<think>58 + 67 = 115. Wait, let me re-check: units 8+7+0=15, tens 5+6+1=12. So the sum is 125. The first answer was wrong.</think><answer>125</answer>",
        ["real re-check that confirms"] = "<think>58 + 67 = 125. Actually, let me verify: units 8+7+0=15, tens 5+6+1=12. So the sum is 125.</think><answer>125</answer>",
        ["no re-check"] = "<think>58 + 67 = 125.</think><answer>125</answer>",
    };

    [Theory]
    // Restatements after a multi-word phrase, with equations written without spaces: ritual.
    [InlineData("<think>58+67=115. Wait, let me re-check. 58+67=115.</think><answer>115</answer>", true)]
    [InlineData("<think>58+67=125. Let me double-check: 58+67=125. Yes.</think><answer>125</answer>", true)]
    [InlineData("<think>58 + 67 = 125. Hmm, let me check again. 58 + 67 = 125, so it is 125.</think><answer>125</answer>", true)]
    [InlineData("<think>58 + 67 = 115. Wait. 58 + 67 = 115. I am sure.</think><answer>115</answer>", true)]
    [InlineData("<think>The sum is 125. Let me verify that the sum is 125. Yes, the sum is 125.</think><answer>125</answer>", true)]
    // Re-checks that do new work: not ritual, whatever the spacing.
    [InlineData("<think>58+67=115. Wait, let me re-check. 8+7=15, 5+6+1=12, so 125.</think><answer>125</answer>", false)]
    [InlineData("<think>58 + 67 = 125. Let me verify another way: 67 + 58 = 60 + 50 + 7 + 8 = 125.</think><answer>125</answer>", false)]
    [InlineData("<think>58 + 67 = 125. Actually, 125 - 67 = 58, so it checks out.</think><answer>125</answer>", false)]
    public void A_restating_re_check_is_ritual_however_its_phrase_and_equations_are_written(string text, bool ritual)
    {
        var report = new RitualVerificationDetector(new PluginSettings("ritual-verification")).Detect(Input([text]));
        var penalty = Reward(new OverlapPenaltyReward(new PluginSettings("overlap-penalty")), [text]);

        Assert.Equal(ritual, report.Completions[0].Flags.Contains("ritual"));
        Assert.Equal(ritual, penalty[0] <= -0.5);
    }

    [Fact]
    public void Ritual_re_checks_restate_and_never_change_the_outcome_and_overlap_penalty_charges_them()
    {
        var texts = Rechecks.Values.ToArray();
        var report = new RitualVerificationDetector(new PluginSettings("ritual-verification")).Detect(Input(texts));
        var penalty = Reward(new OverlapPenaltyReward(new PluginSettings("overlap-penalty")), texts);

        Assert.Equal([["ritual"], ["ritual"], ["recheck-changed-outcome"], [], []], report.Completions.Select(c => c.Flags));
        // The correcting re-check's ablation answers 115, the first guess: accuracy 0 instead of 1.
        Assert.Equal(0, report.Completions[2].Values["ablated_outcome"]);
        Assert.Equal(2 / 5.0, report.Aggregates["ritual_rate"], 12);
        Assert.Equal(1 / 4.0, report.Aggregates["ritual/outcome_changed_rate"], 12);
        Assert.Equal([-1.0, -1.0], penalty.Take(2));
        Assert.InRange(penalty[2], -0.2, 0);
        Assert.Equal(0, penalty[4]);
        Snapshot.Match(new
        {
            completions = Rechecks.Keys.Select((name, i) => new
            {
                name, flags = report.Completions[i].Flags, values = Rounded(report.Completions[i].Values), overlap_penalty = Math.Round(penalty[i], 4),
            }),
            aggregates = Rounded(report.Aggregates),
        });
    }

    [Fact]
    public void Without_the_runs_rewards_the_overlap_alone_decides_ritual()
    {
        var report = new RitualVerificationDetector(new PluginSettings("ritual-verification")).Detect(Input([.. Rechecks.Values], rescore: false));

        Assert.Equal([["ritual"], ["ritual"], [], [], []], report.Completions.Select(c => c.Flags));
        Assert.False(report.Aggregates.ContainsKey("ritual/outcome_changed_rate"));
    }

    private static readonly Dictionary<string, string> Languages = new()
    {
        ["English re-check"] = "<think>58 + 67 = 115. Wait. units 8+7+0=15, tens 5+6+1=12. So the sum is 125. The first answer was wrong.</think><answer>125</answer>",
        ["Spanish re-check"] = "<think>58 + 67 = 115. Wait. unidades 8+7+0=15, decenas 5+6+1=12. Entonces la suma es 125. La primera respuesta estaba mal.</think><answer>125</answer>",
        ["Spanish conclusion only"] = "<think>58 + 67 = 125. Let me re-check: units 8+7+0=15, tens 5+6+1=12. Entonces la suma es 125.</think><answer>125</answer>",
        ["no re-check"] = "<think>58 + 67 = 125.</think><answer>125</answer>",
    };

    [Fact]
    public void Language_mixing_flags_re_checks_outside_english_and_language_match_pays_the_english_share()
    {
        var texts = Languages.Values.ToArray();
        var report = new LanguageMixingDetector(new PluginSettings("language-mixing")).Detect(Input(texts));
        var match = Reward(new LanguageMatchReward(new PluginSettings("language-match")), texts);

        Assert.Equal([[], ["mixed-language"], ["mixed-language"], []], report.Completions.Select(c => c.Flags));
        Assert.Equal(0, report.Completions[0].Values["foreign_share"]);
        // From "Wait." on: unidades decenas entonces la suma es la primera respuesta estaba mal are 11 of the phase's 12 words.
        Assert.Equal(11 / 12.0, report.Completions[1].Values["foreign_share"], 12);
        Assert.Equal(0.5, report.Aggregates["language_mixing_rate"], 12);
        Assert.Equal([1.0, 1.0], new[] { match[0], match[3] });
        Assert.True(match[1] < match[2] && match[2] < 1, $"language_match {match[1]} < {match[2]} < 1");
        Snapshot.Match(new
        {
            completions = Languages.Keys.Select((name, i) => new { name, flags = report.Completions[i].Flags, values = Rounded(report.Completions[i].Values), language_match = Math.Round(match[i], 4) }),
            aggregates = Rounded(report.Aggregates),
        });
    }

    [Theory]
    [InlineData("<think>58 + 67 = 115。等等，让我检查一下。8+7=15，5+6+1=12，所以是125。</think><answer>125</answer>", "wait-zh,recheck-zh,rederived", true)]
    [InlineData("<think>58 + 67 = 115. Espera, déjame verificar: 8+7=15, 5+6+1=12. Entonces es 125.</think><answer>125</answer>", "wait-es,recheck-es,wait-pt,rederived", true)]
    [InlineData("<think>58 + 67 = 115. Attendez, vérifions : 8+7=15, 5+6+1=12. Donc le résultat est 125.</think><answer>125</answer>", "wait-fr,recheck-fr,rederived", true)]
    [InlineData("<think>58 + 67 = 115. Moment, lass mich das nochmal überprüfen: 8+7=15, 5+6+1=12. Also 125.</think><answer>125</answer>", "wait-de,recheck-de,rederived", true)]
    [InlineData("<think>58 + 67 = 125. Wait, let me re-check with another method: 67 + 58 = 125. Both agree.</think><answer>125</answer>", "wait,recheck,method-2,rederived", false)]
    [InlineData("<think>58 + 67 = 125. Actually, adding the tens first gives 110, plus 15 makes 125. Consistent.</think><answer>125</answer>", "actually", false)]
    public void A_re_check_in_another_language_is_seen_by_self_verification_and_flagged_as_mixing_and_short_english_is_not(string text, string phrases, bool mixed)
    {
        var verification = new SelfVerificationDetector().Detect(Input([text]));
        var mixing = new LanguageMixingDetector(new PluginSettings("language-mixing")).Detect(Input([text]));

        Assert.Equal([.. phrases.Split(','), SelfVerificationDetector.InThinkFlag], verification.Completions[0].Flags);
        Assert.Equal(mixed, mixing.Completions[0].Flags.Contains(LanguageMixingDetector.MixedFlag));
    }

    [Fact]
    public void A_user_adds_phrases_in_the_detectors_settings_and_a_bad_pattern_names_the_setting()
    {
        var detector = new SelfVerificationDetector(new PluginSettings("self-verification", new Dictionary<string, string> { ["phrases"] = "hmm=\\bhmm+\\b; sure=are you sure" }));

        var report = detector.Detect(Input(["<think>Hmmm, 58 + 67 = 125. Are you sure? Yes.</think><answer>125</answer>"]));
        var bad = Assert.Throws<PluginSettingsException>(() => new SelfVerificationDetector(new PluginSettings("self-verification", new Dictionary<string, string> { ["phrases"] = "x=(" })));

        Assert.Equal(["wait", "hmm", "sure", SelfVerificationDetector.InThinkFlag], report.Completions[0].Flags);
        Assert.Equal(1, report.Aggregates["phrase/hmm_rate"]);
        Assert.Contains(detector.Outputs.Metrics, m => m.Name == "phrase/sure_rate" && m.Family == "phrases");
        Assert.StartsWith("Plugin 'self-verification': setting 'phrases' has an invalid pattern for 'x'", bad.Message);
    }

    private static readonly Dictionary<string, string> Repeats = new()
    {
        ["closing line three times"] = "<think>58 + 67 = 125. Wait. units 8+7+0=15, tens 5+6+1=12. So the sum is 125. So the sum is 125. So the sum is 125.</think><answer>125</answer>",
        ["clean re-check"] = "<think>58 + 67 = 125. Wait. units 8+7+0=15, tens 5+6+1=12. So the sum is 125.</think><answer>125</answer>",
        ["re-check cut at the token limit"] = "<think>58 + 67 = 115. Wait. units 8+7+0=15, tens 5+6+1=12. So the sum is 125. Wait. units 8+7+0=15, te",
        ["no re-check"] = "<think>58 + 67 = 125.</think><answer>125</answer>",
    };

    [Fact]
    public void Repetition_flags_loops_and_re_checks_at_the_token_limit_and_the_ngram_reward_charges_loops()
    {
        var texts = Repeats.Values.ToArray();
        var report = new RepetitionDetector(new PluginSettings("repetition")).Detect(Input(texts, [false, false, true, false]));
        var reward = Reward(new NGramRepetitionReward(new PluginSettings("ngram-repetition")), texts);

        Assert.Equal([["repetition-loop"], [], ["recheck-hit-limit"], []], report.Completions.Select(c => c.Flags));
        Assert.Equal(3, report.Completions[0].Values["most_repeats"]);
        Assert.Equal(0.5, report.Aggregates["repetition_rate"], 12);
        Assert.Equal(-1.0, reward[0]);
        Assert.Equal([0.0, 0.0], new[] { reward[1], reward[3] });
        Snapshot.Match(new
        {
            completions = Repeats.Keys.Select((name, i) => new { name, flags = report.Completions[i].Flags, values = Rounded(report.Completions[i].Values), ngram_repetition = Math.Round(reward[i], 4) }),
            aggregates = Rounded(report.Aggregates),
        });
    }

    [Fact]
    public void Repetition_penalty_with_ngram_1_is_ctrl_on_every_token_already_generated()
    {
        var penalty = new RepetitionPenalty(new PluginSettings("repetition-penalty", new Dictionary<string, string> { ["penalty"] = "2" }));
        float[] logits = [4, -4, 4, -4, 1];

        penalty.Process([0, 1, 0], logits);

        // Tokens 0 and 1 were generated: a positive logit is halved, a negative one doubled, each once.
        Assert.Equal([2f, -8f, 4f, -4f, 1f], logits);
    }

    [Fact]
    public void Repetition_penalty_with_ngram_3_hits_only_the_token_that_would_repeat_a_trigram()
    {
        var penalty = new RepetitionPenalty(new PluginSettings("repetition-penalty", new Dictionary<string, string> { ["penalty"] = "2", ["ngram"] = "3" }));
        float[] logits = [4, 4, 4, 4, 4];

        // "1 2 3 4 1 2": the last two tokens "1 2" were followed by 3 before, so only 3 would repeat a trigram.
        penalty.Process([1, 2, 3, 4, 1, 2], logits);

        Assert.Equal([4f, 4f, 4f, 2f, 4f], logits);
    }

    [Theory]
    [InlineData("penalty", "0.5")]
    [InlineData("ngram", "0")]
    public void Repetition_penalty_refuses_settings_out_of_range(string key, string value)
    {
        var error = Assert.Throws<PluginSettingsException>(() => new RepetitionPenalty(new PluginSettings("repetition-penalty", new Dictionary<string, string> { [key] = value })));
        Assert.Contains($"'{key}'", error.Message);
    }

    private static Dictionary<string, double> Rounded(IReadOnlyDictionary<string, double> values) =>
        values.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4));
}
