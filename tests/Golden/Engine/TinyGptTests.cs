using Harness.Abstractions;
using Harness.Plugins.Policies.Decoding;
using Harness.Plugins.Policies.TinyGpt;
using Harness.Tests.Golden.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.Engine;

/// <summary>The tiny GPT: KV-cache decoding, per-token scoring, weights on disk, seeded sampling.</summary>
[Collection(TorchCollection.Name)]
public class TinyGptTests
{
    private static TinyGptPolicy Policy(int initSeed = 1, string weights = "") => new(new PluginSettings("tiny-gpt", new Dictionary<string, string>
    {
        ["layers"] = "2", ["width"] = "32", ["heads"] = "4", ["context"] = "40", ["init_seed"] = $"{initSeed}", ["weights"] = weights,
    }));

    [Fact]
    public void Decoding_through_the_kv_cache_gives_the_full_forward_logits()
    {
        var policy = Policy();
        var model = (GptModel)policy.Model;
        model.eval();
        using var _ = no_grad();
        var ids = tensor(CharTokenizer.Encode("What is 12 + 34?<think>46").Select(i => (long)i).ToArray()).reshape(1, -1);
        var full = model.forward(ids);

        using var cache = new KvCache(model.Shape.Layers, 1, model.Shape.Heads, model.Shape.Context, model.Shape.HeadWidth, CPU);
        var prefill = model.Decode(ids.narrow(1, 0, 16), cache, 0);
        var steps = Enumerable.Range(16, (int)ids.shape[1] - 16).Select(p => model.Decode(ids.narrow(1, p, 1), cache, p)).ToArray();
        var cached = cat([prefill, .. steps], 1);

        Assert.True(allclose(full, cached, rtol: 1e-4, atol: 1e-5), $"max difference {(full - cached).abs().max().item<float>()}");
    }

    [Fact]
    public void Scores_are_the_log_softmax_of_the_next_token_across_padded_rows()
    {
        var policy = Policy();
        policy.Model.eval();
        using var _ = no_grad();
        string[] prompts = ["What is 1 + 2?", "What is 10 + 20?"];
        int[][] completions = [CharTokenizer.Encode("<think>3"), CharTokenizer.Encode("30")];

        var scores = policy.Score(new ScoringRequest(prompts, completions));

        Assert.Equal([2L, 8L], scores.LogProbs.shape);
        for (var row = 0; row < 2; row++)
        {
            var sequence = CharTokenizer.EncodePrompt(prompts[row]).Concat(completions[row]).Select(i => (long)i).ToArray();
            var logits = ((GptModel)policy.Model).forward(tensor(sequence).reshape(1, -1))[0];
            var logSoftmax = nn.functional.log_softmax(logits, -1);
            for (var t = 0; t < 8; t++)
            {
                var expected = t < completions[row].Length
                    ? logSoftmax[prompts[row].Length + t, completions[row][t]].item<float>()
                    : 0f;
                Assert.Equal(expected, scores.LogProbs[row, t].item<float>(), 5);
            }
            Assert.Equal(0f, scores.Entropy[row, completions[row].Length..].sum().item<float>());
        }
        // An untrained model is near uniform over 97 characters: entropy close to ln 97.
        Assert.InRange(scores.Entropy[0, 0].item<float>(), 4.4, Math.Log(97) + 1e-4);
    }

    [Fact]
    public void Saved_weights_load_into_a_differently_initialised_policy()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "weights.bin");
        var original = Policy(initSeed: 1);
        original.Model.save(file);
        var ids = tensor(CharTokenizer.Encode("What is 5 + 6?").Select(i => (long)i).ToArray()).reshape(1, -1);
        using var _ = no_grad();

        var other = Policy(initSeed: 2);
        Assert.NotEqual(0f, MaxDifference(original, other, ids));
        var loaded = Policy(initSeed: 2, weights: file);
        Assert.Equal(0f, MaxDifference(original, loaded, ids));
    }

    [Fact]
    public void A_weights_file_of_another_shape_is_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "small.bin");
        new TinyGptPolicy(new PluginSettings("tiny-gpt", new Dictionary<string, string> { ["layers"] = "1", ["width"] = "16", ["heads"] = "2", ["context"] = "40" })).Model.save(file);

        var e = Assert.ThrowsAny<Exception>(() => Policy(weights: file));
        Assert.Contains(file, e.Message);
        Assert.Contains("does not fit a model with 2 layers, width 32", e.Message);
    }

    [Fact]
    public void Sampling_is_reproducible_by_seed_and_fills_tokens()
    {
        var policy = Policy();
        var request = new SamplingRequest(["What is 1 + 2?", "What is 10 + 20?", "What is 3 + 4?"], 3, 12, 1.0, 0.9, 42);

        var first = policy.Sample(request);
        var again = policy.Sample(request);
        var other = policy.Sample(request with { Seed = 43 });

        Assert.Equal(3, first.Count);
        Assert.All(first, g => Assert.Equal(3, g.Count));
        Assert.Equal(Texts(first), Texts(again));
        Assert.NotEqual(Texts(first), Texts(other));
        foreach (var c in first.SelectMany(g => g))
        {
            Assert.Equal(c.TokenCount, c.Tokens.Count);
            Assert.Equal(c.Text, CharTokenizer.Decode(c.Tokens));
            Assert.Equal(c.TokenCount == 12 && c.Tokens[^1] != CharTokenizer.EndOfText && !c.Text.EndsWith("</answer>"), c.Truncated);
        }
    }

    [Fact]
    public void Sampling_with_and_without_the_kv_cache_draws_the_same_completions()
    {
        var settings = new Dictionary<string, string> { ["layers"] = "2", ["width"] = "32", ["heads"] = "4", ["context"] = "40" };
        var cached = new TinyGptPolicy(new PluginSettings("tiny-gpt", settings));
        var uncached = new TinyGptPolicy(new PluginSettings("tiny-gpt", new Dictionary<string, string>(settings) { ["kv_cache"] = "false" }));
        var request = new SamplingRequest(["What is 1 + 2?", "What is 3 + 4?"], 4, 16, 1.0, 1.0, 9);

        Assert.Equal(Texts(cached.Sample(request)), Texts(uncached.Sample(request)));
    }

    /// <summary>A sampling fix that forces a text, character by character (over and over), and records the prefixes it was shown.</summary>
    private sealed class ForceText(string text) : ILogitsProcessor
    {
        private readonly int[] _tokens = CharTokenizer.Encode(text);

        public List<int> Lengths { get; } = [];

        public void Process(ReadOnlySpan<int> generated, Span<float> logits)
        {
            Lengths.Add(generated.Length);
            logits.Fill(-1e9f);
            logits[_tokens[generated.Length % _tokens.Length]] = 0;
        }
    }

    [Fact]
    public void Sampling_fixes_see_each_completions_tokens_so_far_and_decide_the_next()
    {
        var fix = new ForceText("x");
        var groups = Policy().Sample(new SamplingRequest(["What is 1 + 2?"], 2, 5, 1.0, 1.0, 3) { LogitsProcessors = [fix] });

        Assert.All(groups[0], c => Assert.Equal("xxxxx", c.Text));
        // Two rows, five tokens each: the fix saw prefixes of 0 to 4 tokens, once per row (rows may decode on two threads).
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], fix.Lengths.Order());
    }

    [Fact]
    public void The_stop_setting_takes_a_text_or_none_but_not_an_empty_string()
    {
        var settings = new Dictionary<string, string> { ["layers"] = "1", ["width"] = "16", ["heads"] = "2", ["context"] = "48" };
        var request = new SamplingRequest(["What is 1 + 2?<answer>"], 1, 12, 1.0, 1.0, 3) { LogitsProcessors = [new ForceText("3</answer>")] };
        var stopping = new TinyGptPolicy(new PluginSettings("tiny-gpt", settings));
        var none = new TinyGptPolicy(new PluginSettings("tiny-gpt", new Dictionary<string, string>(settings) { ["stop"] = "none" }));

        Assert.Equal("3</answer>", stopping.Sample(request)[0][0].Text);
        Assert.Equal("3</answer>3<", none.Sample(request)[0][0].Text);

        var e = Assert.Throws<PluginSettingsException>(() => new TinyGptPolicy(new PluginSettings("tiny-gpt", new Dictionary<string, string>(settings) { ["stop"] = "" })));
        Assert.Contains("'stop'", e.Message);
    }

    [Fact]
    public void Greedy_sampling_follows_the_argmax()
    {
        var policy = Policy();
        var prompt = "What is 1 + 2?";
        var completion = policy.Sample(new SamplingRequest([prompt], 2, 6, 0, 1, 1))[0];
        Assert.Equal(completion[0].Text, completion[1].Text);
        using var _ = no_grad();
        var ids = tensor(CharTokenizer.EncodePrompt(prompt).Concat(completion[0].Tokens).Select(i => (long)i).ToArray()).reshape(1, -1);
        var argmax = ((GptModel)policy.Model).forward(ids)[0].argmax(-1).data<long>().ToArray();
        for (var t = 0; t < completion[0].TokenCount; t++)
            Assert.Equal(argmax[prompt.Length + t], completion[0].Tokens[t]);
    }

    [Fact]
    public void The_tokenizer_round_trips_text_and_names_a_foreign_character()
    {
        Assert.Equal("What is 1 + 2?\n<think>3</think>", CharTokenizer.Decode(CharTokenizer.Encode("What is 1 + 2?\n<think>3</think>")));
        Assert.Equal(97, CharTokenizer.VocabularySize);
        var e = Assert.Throws<ArgumentException>(() => CharTokenizer.Encode("prüfen"));
        Assert.Contains("U+00FC at offset 2", e.Message);
    }

    private static float MaxDifference(TinyGptPolicy a, TinyGptPolicy b, Tensor ids) =>
        (((GptModel)a.Model).forward(ids) - ((GptModel)b.Model).forward(ids)).abs().max().item<float>();

    private static string[] Texts(IReadOnlyList<IReadOnlyList<SampledCompletion>> groups) => [.. groups.SelectMany(g => g.Select(c => c.Text))];
}
