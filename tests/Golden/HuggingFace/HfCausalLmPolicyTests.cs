using System.Text.Json.Nodes;
using Harness.Abstractions;
using Harness.Plugins.Policies.HuggingFace;
using Harness.Tests.Golden.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>
/// The hf-causal-lm policy on the tiny Qwen2 checkpoint (BF16 stored, 400 embedding rows for a 383-id tokenizer):
/// sampling through the KV cache equals greedy decoding by full forwards, padding ids are never sampled or scored,
/// chunked and recomputed scoring gives the plain log-softmax and its gradients, and bad settings are named.
/// </summary>
[Collection(TorchCollection.Name)]
public class HfCausalLmPolicyTests
{
    private static readonly string Qwen2 = Path.Combine(HfWeightsTests.Models, "qwen2-tied-bf16");
    private const int TokenizerVocab = 383;

    private static HfCausalLmPolicy Policy(Dictionary<string, string>? extra = null, string? model = null)
    {
        var settings = new Dictionary<string, string> { ["template"] = "none" };
        if (model != "") settings["model"] = model ?? Qwen2;
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return new HfCausalLmPolicy(new PluginSettings("hf-causal-lm", settings));
    }

    /// <summary>A sampling fix that forces a list of ids, one per step, and then the last one again.</summary>
    private sealed class Force(params int[] ids) : ILogitsProcessor
    {
        public void Process(ReadOnlySpan<int> generated, Span<float> logits)
        {
            logits.Fill(-1e9f);
            logits[ids[Math.Min(generated.Length, ids.Length - 1)]] = 0;
        }
    }

    [Fact]
    public void Greedy_sampling_through_the_kv_cache_equals_argmax_over_full_forwards()
    {
        var policy = Policy();
        var prompts = new[] { "What is 12 + 34?", "What is 5 + 6?", "What is 7 + 8?" };
        var groups = policy.Sample(new SamplingRequest(prompts, 2, 10, 0, 1, 1));

        using var _ = no_grad();
        for (var p = 0; p < prompts.Length; p++)
        {
            var sequence = policy.PromptIds(prompts[p]).Select(id => (long)id).ToList();
            var expected = new List<int>();
            for (var step = 0; step < 10; step++)
            {
                var logits = ((HfDecoder)policy.Model).forward(tensor(sequence.ToArray(), [1, sequence.Count]))[0, -1].narrow(0, 0, TokenizerVocab);
                var next = (int)logits.argmax().item<long>();
                expected.Add(next);
                sequence.Add(next);
                if (policy.Folder.EosTokenIds.Contains(next)) break;
            }
            Assert.All(groups[p], c => Assert.Equal(expected.Take(c.Tokens.Count), c.Tokens));
            Assert.All(groups[p], c => Assert.Equal(groups[p][0].Tokens, c.Tokens));
        }
    }

    [Fact]
    public void Seeded_sampling_repeats_and_another_seed_differs()
    {
        var policy = Policy(new() { ["stop"] = "none" });
        var request = new SamplingRequest(["What is 1 + 2?", "What is 33 + 4?"], 3, 12, 1.0, 1.0, 42);

        var first = policy.Sample(request).SelectMany(g => g).Select(c => string.Join(",", c.Tokens)).ToList();
        var again = policy.Sample(request).SelectMany(g => g).Select(c => string.Join(",", c.Tokens)).ToList();
        var other = policy.Sample(request with { Seed = 43 }).SelectMany(g => g).Select(c => string.Join(",", c.Tokens)).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Padding_ids_past_the_tokenizer_are_never_sampled_even_when_they_would_win()
    {
        var policy = Policy(new() { ["stop"] = "none" });
        var model = (HfDecoder)policy.Model;
        // Make every padding row of the tied embedding point where the hidden states do, so their logits dominate.
        using (no_grad())
        {
            var hidden = model.Hidden(tensor(policy.PromptIds("What is 1 + 2?").Select(i => (long)i).ToArray(), [1, policy.PromptIds("What is 1 + 2?").Length]), null, 0)[0, -1];
            model.HeadWeight.narrow(0, TokenizerVocab, 400 - TokenizerVocab).copy_((hidden * 1000).expand(400 - TokenizerVocab, -1));
        }

        var completions = policy.Sample(new SamplingRequest(["What is 1 + 2?"], 8, 16, 1.0, 1.0, 5)).SelectMany(g => g).ToList();

        Assert.All(completions, c => Assert.All(c.Tokens, id => Assert.True(id < TokenizerVocab, $"sampled padding id {id}")));
        Assert.Equal(400, model.HeadWeight.shape[0]);
    }

    [Fact]
    public void Eos_ends_a_completion_outside_its_text_and_the_stop_text_ends_it_inside()
    {
        var policy = Policy();
        var tokenizer = policy.Folder.Tokenizer;
        var answer = tokenizer.Encode("<answer>3</answer> more");
        var eos = policy.Folder.EosTokenIds[0];

        var stopped = policy.Sample(new SamplingRequest(["What is 1 + 2?"], 1, 40, 1.0, 1.0, 1) { LogitsProcessors = [new Force(answer)] })[0][0];
        var ended = policy.Sample(new SamplingRequest(["What is 1 + 2?"], 1, 40, 1.0, 1.0, 1) { LogitsProcessors = [new Force([.. tokenizer.Encode("Hi"), eos])] })[0][0];
        var limited = policy.Sample(new SamplingRequest(["What is 1 + 2?"], 1, 3, 1.0, 1.0, 1) { LogitsProcessors = [new Force(tokenizer.Encode("abc"))] })[0][0];

        Assert.StartsWith("<answer>3</answer>", stopped.Text);
        Assert.DoesNotContain(" more", stopped.Text);
        Assert.False(stopped.Truncated);
        Assert.Equal("Hi", ended.Text);
        Assert.Equal(eos, ended.Tokens[^1]);
        Assert.Equal(ended.Tokens.Count, ended.TokenCount);
        Assert.False(ended.Truncated);
        Assert.Equal([.. ended.Tokens.Select(id => tokenizer.Token(id) ?? "")], ended.TokenStrings);
        Assert.True(limited.Truncated);
        Assert.Equal(3, limited.TokenCount);
    }

    [Fact]
    public void Scores_equal_the_log_softmax_of_a_full_forward_over_the_tokenizer_vocabulary_in_any_chunking()
    {
        var chunked = Policy(new() { ["score_chunk"] = "3" });
        var whole = Policy(new() { ["score_chunk"] = "100000" });
        var prompts = new[] { "What is 12 + 34?", "What is 5 + 6?" };
        var tokens = new IReadOnlyList<int>[] { chunked.Folder.Tokenizer.Encode("<think>12+34=46</think> <answer>46</answer>"), chunked.Folder.Tokenizer.Encode("<answer>11") };

        using var _ = no_grad();
        var a = chunked.Score(new ScoringRequest(prompts, tokens));
        var b = whole.Score(new ScoringRequest(prompts, tokens));

        Assert.Equal(new long[] { 2, tokens[0].Count }, a.LogProbs.shape);
        for (var i = 0; i < 2; i++)
        {
            var sequence = chunked.PromptIds(prompts[i]).Concat(tokens[i]).Select(id => (long)id).ToArray();
            var logProbs = nn.functional.log_softmax(((HfDecoder)chunked.Model).forward(tensor(sequence, [1, sequence.Length]))[0].narrow(-1, 0, TokenizerVocab), -1);
            var start = chunked.PromptIds(prompts[i]).Length - 1;
            for (var t = 0; t < tokens[0].Count; t++)
            {
                var expected = t < tokens[i].Count ? logProbs[start + t, tokens[i][t]].item<float>() : 0f;
                var entropy = t < tokens[i].Count ? -(logProbs[start + t].exp() * logProbs[start + t]).sum().item<float>() : 0f;
                Assert.True(Math.Abs(expected - a.LogProbs[i, t].item<float>()) < 1e-4, $"log-prob {i},{t}: {expected} vs {a.LogProbs[i, t].item<float>()}");
                Assert.True(Math.Abs(entropy - a.Entropy[i, t].item<float>()) < 1e-4, $"entropy {i},{t}: {entropy} vs {a.Entropy[i, t].item<float>()}");
                Assert.True(Math.Abs(a.LogProbs[i, t].item<float>() - b.LogProbs[i, t].item<float>()) < 1e-5);
            }
        }
    }

    // Each parameter's gradient of Σ (t + 1) · log π(token t) over two prompts' completions: through the policy's
    // scoring, or (plain) through autograd's float32 log-softmax of full forwards over the tokenizer's ids.
    private static Dictionary<string, float[]> Gradients(HfCausalLmPolicy policy, bool plain)
    {
        var prompts = new[] { "What is 12 + 34?", "What is 5 + 6?" };
        var model = (HfDecoder)policy.Model;
        var vocabulary = policy.Folder.Tokenizer.VocabSize;
        model.zero_grad();
        var tokens = new IReadOnlyList<int>[] { policy.Folder.Tokenizer.Encode("<answer>46</answer>"), policy.Folder.Tokenizer.Encode("<answer>11") };
        Tensor loss;
        if (plain)
        {
            loss = zeros(1);
            for (var i = 0; i < 2; i++)
            {
                var sequence = policy.PromptIds(prompts[i]).Concat(tokens[i]).Select(id => (long)id).ToArray();
                var logProbs = nn.functional.log_softmax(model.forward(tensor(sequence, [1, sequence.Length]))[0].narrow(-1, 0, vocabulary).to_type(ScalarType.Float32), -1);
                var start = policy.PromptIds(prompts[i]).Length - 1;
                for (var t = 0; t < tokens[i].Count; t++) loss = loss - logProbs[start + t, tokens[i][t]] * (t + 1);
            }
        }
        else
        {
            var scores = policy.Score(new ScoringRequest(prompts, tokens));
            var width = scores.LogProbs.shape[1];
            var weights = tensor([.. Enumerable.Range(0, 2).SelectMany(i => Enumerable.Range(0, (int)width).Select(t => t < tokens[i].Count ? t + 1f : 0f))], [2, width]);
            loss = -(scores.LogProbs * weights).sum() + 0 * scores.Entropy.sum();
        }
        loss.backward();
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.to_type(ScalarType.Float32).data<float>().ToArray());
    }

    [Theory]
    [InlineData("qwen2-tied-bf16", "recompute_head=true score_chunk=4 gradient_checkpointing=true", 1e-5)]
    [InlineData("qwen2-tied-bf16", "recompute_head=false score_chunk=5", 1e-5)]
    [InlineData("qwen2-tied-bf16", "score_chunk=3", 1e-5)]
    [InlineData("llama-untied-f32", "recompute_head=true score_chunk=2", 1e-5)]
    [InlineData("llama-untied-f32", "recompute_head=false score_chunk=7 gradient_checkpointing=true", 1e-5)]
    [InlineData("qwen3-untied-f16", "recompute_head=true score_chunk=6", 1e-5)]
    // bfloat16 weights, against autograd on the same bfloat16 model: the logits' gradient is rounded to bfloat16 before
    // the head's products, and sums run in another order.
    [InlineData("qwen2-tied-bf16", "dtype=bfloat16 recompute_head=true score_chunk=4", 1e-2)]
    [InlineData("llama-untied-f32", "dtype=bfloat16 recompute_head=false score_chunk=4", 1e-2)]
    public void Fused_chunked_scoring_and_checkpointed_blocks_give_the_plain_gradients(string model, string settings, double tolerance)
    {
        var extra = settings.Split(' ').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        // The Llama and Qwen3 fixtures carry no tokenizer: their architecture, widened to the Qwen2 fixture's 400 rows
        // (17 past its tokenizer), is built from scratch with that tokenizer; any weights serve to compare gradients.
        using var dir = new TempDirectory();
        var source = Path.Combine(HfWeightsTests.Models, model);
        var fromFiles = !File.Exists(Path.Combine(source, "tokenizer.json"));
        if (fromFiles)
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!;
            config["vocab_size"] = 400;
            extra["config"] = dir.File("config.json", config.ToJsonString());
            extra["tokenizer"] = Path.Combine(Qwen2, "tokenizer.json");
        }
        HfCausalLmPolicy Make(Dictionary<string, string> with) => Policy(with, fromFiles ? "" : source);
        var expected = Gradients(Make(new(extra.Where(kv => kv.Key is "config" or "tokenizer" or "dtype"))), plain: true);
        var scored = Make(extra);
        var actual = Gradients(scored, plain: false);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, gradient) in expected)
        {
            // Relative to the largest entry: sums in another order (or in bfloat16) differ in their last bits.
            var worst = gradient.Zip(actual[name], (e, r) => Math.Abs(e - r)).Max();
            var scale = gradient.Max(Math.Abs);
            Assert.True(worst <= tolerance * Math.Max(1, scale), $"{name}: gradients differ by {worst:E2} (largest {scale:E2})");
        }
        Assert.Contains(expected.Values, g => g.Any(x => Math.Abs(x) > 1e-3));
        // Rows past the tokenizer pad the embedding: never scored, so never a gradient.
        var head = ((HfDecoder)scored.Model).HeadWeight;
        var padding = head.shape[0] - scored.Folder.Tokenizer.VocabSize;
        if (padding > 0) Assert.Equal(0f, head.grad!.narrow(0, scored.Folder.Tokenizer.VocabSize, padding).abs().max().to_type(ScalarType.Float32).item<float>());
    }

    [Fact]
    public void Save_then_load_is_bit_exact_and_writes_a_folder_that_opens_with_its_tokenizer_and_eos()
    {
        var policy = Policy(new() { ["dtype"] = "bfloat16" });
        using var dir = new TempDirectory();
        policy.Save(dir.Path);

        var again = Policy(new() { ["dtype"] = "bfloat16" }, model: dir.Path);

        var first = policy.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.bytes.ToArray());
        foreach (var (name, parameter) in again.Model.named_parameters()) Assert.Equal(first[name], parameter.bytes.ToArray());
        // The source folder's other files travel with the weights (here the fixture's reference logits).
        Assert.Equal(["config.json", "generation_config.json", "model.safetensors", "reference-logits.json", "tokenizer.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal("bfloat16", System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "config.json")))!["torch_dtype"]!.GetValue<string>());
        Assert.Equal(policy.Folder.EosTokenIds, again.Folder.EosTokenIds);
        Assert.Equal(File.ReadAllText(Path.Combine(Qwen2, "tokenizer.json")), File.ReadAllText(Path.Combine(dir.Path, "tokenizer.json")));
    }

    [Fact]
    public void Bfloat16_samples_and_scores_in_float32()
    {
        var policy = Policy(new() { ["dtype"] = "bfloat16" });
        var completion = policy.Sample(new SamplingRequest(["What is 1 + 2?"], 2, 6, 1.0, 0.9, 3))[0][0];
        using var _ = no_grad();
        var scores = policy.Score(new ScoringRequest(["What is 1 + 2?"], [completion.Tokens]));

        Assert.Equal(ScalarType.BFloat16, policy.Model.parameters().First().dtype);
        Assert.Equal(ScalarType.Float32, scores.LogProbs.dtype);
        Assert.All(scores.LogProbs[0].data<float>().ToArray(), lp => Assert.True(lp < 0 && float.IsFinite(lp)));
    }

    [Fact]
    public void The_templates_wrap_the_prompt_and_a_template_file_needs_its_slot()
    {
        using var dir = new TempDirectory();
        var file = dir.File("t.txt", "Q: {prompt}\nA:");
        var chatml = Policy(new() { ["template"] = "chatml" });
        var fromFile = Policy(new() { ["template_file"] = file });
        var tokenizer = chatml.Folder.Tokenizer;
        var bos = tokenizer.Id("<|begin_of_text|>")!.Value;

        Assert.Equal([bos, .. tokenizer.Encode("<|im_start|>user\nWhat?<|im_end|>\n<|im_start|>assistant\n")], chatml.PromptIds("What?"));
        // A conversation a task file rendered (system and user turns) only gets the assistant's turn opened.
        var conversation = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat?<|im_end|>\n";
        Assert.Equal([bos, .. tokenizer.Encode(conversation + "<|im_start|>assistant\n")], chatml.PromptIds(conversation));
        var qwenMath = Policy(new() { ["template"] = "qwen-math" });
        Assert.Equal([bos, .. tokenizer.Encode("<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" +
            "<|im_start|>user\nWhat?<|im_end|>\n<|im_start|>assistant\n")], qwenMath.PromptIds("What?"));
        Assert.Equal([bos, .. tokenizer.Encode("Q: What?\nA:")], fromFile.PromptIds("What?"));
        Assert.Equal([bos], fromFile.PromptIds(""));
        Assert.Contains("has no {prompt}", Assert.Throws<PluginSettingsException>(() => Policy(new() { ["template_file"] = dir.File("bad.txt", "no slot") })).Message);
    }

    [Theory]
    [InlineData("dtype", "float16", "must be float32 or bfloat16")]
    [InlineData("template", "alpaca", "must be one of none, r1-zero, qwen-math, chatml")]
    [InlineData("stop", "", "is empty")]
    [InlineData("gradient_checkpointing", "yes", "must be true or false")]
    [InlineData("recompute_head", "1", "must be auto, true or false")]
    [InlineData("score_chunk", "0", "must be a positive number")]
    [InlineData("config", "/x/config.json", "is set together with config or tokenizer")]
    public void A_bad_setting_is_named(string key, string value, string message)
    {
        var error = Assert.Throws<PluginSettingsException>(() => Policy(new() { [key] = value }));
        Assert.Equal(key == "config" ? "model" : key, error.Key);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_folder_missing_files_or_with_a_tokenizer_wider_than_the_embedding_is_refused_naming_them()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Qwen2, "config.json"), Path.Combine(dir.Path, "config.json"));
        var missing = Assert.Throws<PluginSettingsException>(() => Policy(model: dir.Path));
        Assert.Contains("missing tokenizer.json, model.safetensors (or model.safetensors.index.json)", missing.Message);

        foreach (var file in Directory.GetFiles(Qwen2)) File.Copy(file, Path.Combine(dir.Path, Path.GetFileName(file)), overwrite: true);
        var config = File.ReadAllText(Path.Combine(dir.Path, "config.json")).Replace("\"vocab_size\": 400", "\"vocab_size\": 300");
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), config);
        var narrow = Assert.Throws<PluginSettingsException>(() => Policy(model: dir.Path));
        Assert.Contains("the tokenizer has ids up to 382, but vocab_size in", narrow.Message);
        Assert.Contains("tokenizer.json", narrow.Message);
    }

    [Fact]
    public void A_prompt_longer_than_the_context_is_an_error_naming_the_config_field()
    {
        var error = Assert.Throws<ArgumentException>(() => Policy().Sample(new SamplingRequest([string.Concat(Enumerable.Repeat("1 ", 200))], 1, 4, 1, 1, 1)));
        Assert.Contains("max_position_embeddings (128)", error.Message);
    }
}
