using Harness.Abstractions;
using Harness.Plugins.Policies.Decoding;
using Harness.Plugins.Policies.TinyGpt;
using Harness.Tests.Golden.Fixtures;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// The one decoding path: the tiny GPT's host decoder against libtorch's forward pass, the host kernels against
/// libtorch's operators, and the loop's promise that what a row samples depends only on the seed and its place in the
/// request (not on the workers, the batch or the decoder).
/// </summary>
[Collection(TorchCollection.Name)]
public class DecodingTests
{
    private static Dictionary<string, string> Shape(int layers = 2, int width = 40, int heads = 5, int context = 48) => new()
    {
        ["layers"] = $"{layers}", ["width"] = $"{width}", ["heads"] = $"{heads}", ["context"] = $"{context}",
    };

    private static TinyGptPolicy Policy(Dictionary<string, string> settings, string decoder = "auto") =>
        new(new PluginSettings("tiny-gpt", new Dictionary<string, string>(settings) { ["decoder"] = decoder }));

    // An untrained model is near uniform; larger weights give it opinions, so sampling and greedy choices mean something.
    private static TinyGptPolicy Opinionated(Dictionary<string, string> settings, string decoder = "auto")
    {
        var policy = Policy(settings, decoder);
        using var _ = no_grad();
        foreach (var parameter in policy.Model.parameters()) parameter.mul_(8);
        return policy;
    }

    [Fact]
    public void The_host_decoder_gives_libtorchs_logits_for_rows_of_any_prompt_length_as_they_finish()
    {
        // Width 40 over 5 heads: head width 8, a width that is not a multiple of 16, so padded columns are exercised.
        var policy = Policy(Shape());
        var model = (GptModel)policy.Model;
        model.eval();
        using var _ = no_grad();
        int[][] sequences = [CharTokenizer.EncodePrompt("What is 1 + 2?<think>3 = 3"), CharTokenizer.EncodePrompt("7+8=<think>15</think> ok"), CharTokenizer.EncodePrompt("What is 1 + 2?<think>1x")];
        int[] promptLengths = [15, 5, 15];
        int[][] prompts = [.. sequences.Select((s, r) => s[..promptLengths[r]])];
        var expected = sequences.Select(s => model.forward(tensor(s.Select(i => (long)i).ToArray()).reshape(1, -1))[0]).ToArray();

        using var decoder = new GptHostDecoder(GptHostDecoder.Weights.Of(model), sequences.Length);
        var vocabulary = decoder.Vocabulary;
        var logits = new float[sequences.Length * vocabulary];
        decoder.Start(prompts, logits);
        var rows = Enumerable.Range(0, sequences.Length).ToList();
        var position = rows.ToDictionary(r => r, r => promptLengths[r]);
        var (worst, largest) = (0f, 1f);
        while (rows.Count > 0)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                var reference = expected[r][position[r] - 1].data<float>().ToArray();
                for (var v = 0; v < vocabulary; v++) (worst, largest) = (Math.Max(worst, Math.Abs(reference[v] - logits[i * vocabulary + v])), Math.Max(largest, Math.Abs(reference[v])));
            }
            // Rows leave when their sequence ends, so later steps extend a subset.
            rows.RemoveAll(r => position[r] == sequences[r].Length);
            if (rows.Count == 0) break;
            decoder.Extend([.. rows], [.. rows.Select(r => sequences[r][position[r]])], logits);
            foreach (var r in rows) position[r]++;
        }
        // Float sums in another order: agreement to a few units in the sixth digit of the largest logit.
        Assert.True(worst < 1e-5 * largest, $"largest difference from libtorch's logits: {worst}, of logits up to {largest}");
    }

    [Fact]
    public void Host_and_libtorch_decoders_sample_the_same_completions()
    {
        var settings = Shape();
        var request = new SamplingRequest(["What is 1 + 2?", "What is 10 + 20?", "3+4"], 4, 20, 1.0, 0.9, 11);
        var host = Opinionated(settings, "host").Sample(request);
        var libtorch = Opinionated(settings, "libtorch").Sample(request);
        var greedy = request with { Temperature = 0, GroupSize = 1 };

        Assert.Equal(Texts(host), Texts(libtorch));
        Assert.Equal(Texts(Opinionated(settings, "host").Sample(greedy)), Texts(Opinionated(settings, "libtorch").Sample(greedy)));
        // Sampled rows of one prompt differ: each has a stream of its own.
        Assert.True(host[0].Select(c => c.Text).Distinct().Count() > 1);
    }

    [Fact]
    public void A_row_samples_the_same_whatever_the_workers_and_the_rest_of_the_batch()
    {
        var policy = Opinionated(Shape());
        var weights = GptHostDecoder.Weights.Of((GptModel)policy.Model);
        var text = new CompletionText(id => id == CharTokenizer.EndOfText, CharTokenizer.Decode, "</answer>", 1);
        int[][] prompts = [.. new[] { "What is 1 + 2?", "What is 10 + 20?", "3+4" }.SelectMany(p => Enumerable.Repeat(CharTokenizer.EncodePrompt(p), 3))];
        long[] streams = [.. Enumerable.Range(0, prompts.Length).Select(i => (long)i)];
        var request = new SamplingRequest([], 3, 25, 1.0, 1.0, 5);

        string[] Run(int workers, int[] rows) => [.. Autoregression.Run([.. rows.Select(r => prompts[r])], [.. rows.Select(r => streams[r])], request, 25, text,
            count => new GptHostDecoder(weights, count), workers).Select(c => c.Text)];

        var all = Enumerable.Range(0, prompts.Length).ToArray();
        var one = Run(1, all);
        Assert.Equal(one, Run(2, all));
        Assert.Equal(one, Run(4, all));
        Assert.Equal(one[3..6], Run(1, [3, 4, 5]));
        Assert.Equal([one[7], one[1]], Run(2, [7, 1]));
    }

    [Fact]
    public void Host_kernels_match_libtorchs_linear_layer_norm_and_gelu()
    {
        var generator = new Generator(7);
        foreach (var (rows, input, output) in new[] { (1, 8, 16), (5, 40, 97), (4, 96, 288), (7, 24, 8) })
        {
            var weight = randn([output, input], generator: generator);
            var bias = randn([output], generator: generator);
            var x = randn([rows, input], generator: generator);
            var expected = nn.functional.linear(x, weight, bias).data<float>().ToArray();
            var linear = new HostLinear(weight, bias);
            var y = new float[rows * linear.Padded];
            linear.Apply(x.data<float>().ToArray(), input, rows, y, linear.Padded);
            var added = Enumerable.Range(0, rows * output).Select(i => 1f + i % 3).ToArray();
            linear.Apply(x.data<float>().ToArray(), input, rows, added, output, accumulate: true);
            for (var r = 0; r < rows; r++)
                for (var n = 0; n < output; n++)
                {
                    Assert.Equal(expected[r * output + n], y[r * linear.Padded + n], 1e-5 * Math.Max(1, Math.Abs(expected[r * output + n])));
                    Assert.Equal(expected[r * output + n] + 1f + (r * output + n) % 3, added[r * output + n], 1e-5 * Math.Max(1, Math.Abs(expected[r * output + n])));
                }
        }

        var values = (randn([6, 40], generator: generator) * 3).data<float>().ToArray();
        var gelu = values.ToArray();
        HostMath.Gelu(gelu);
        var torchGelu = nn.functional.gelu(tensor(values)).data<float>().ToArray();
        Assert.All(Enumerable.Range(0, values.Length), i => Assert.True(Math.Abs(gelu[i] - torchGelu[i]) < 1e-6, $"gelu({values[i]}) = {gelu[i]}, libtorch {torchGelu[i]}"));

        var scale = randn([40], generator: generator).data<float>().ToArray();
        var shift = randn([40], generator: generator).data<float>().ToArray();
        var normed = new float[values.Length];
        HostMath.LayerNorm(values, 6, 40, scale, shift, 1e-5, normed);
        var torchNorm = nn.functional.layer_norm(tensor(values).reshape(6, 40), [40], tensor(scale), tensor(shift), 1e-5).data<float>().ToArray();
        Assert.All(Enumerable.Range(0, values.Length), i => Assert.Equal(torchNorm[i], normed[i], 1e-5 * Math.Max(1, Math.Abs(torchNorm[i]))));
    }

    [Fact]
    public void Attention_over_the_tiled_cache_is_softmax_of_scaled_scores_times_values()
    {
        var generator = new Generator(3);
        foreach (var (width, length) in new[] { (24, 1), (24, 13), (8, 40), (36, 17), (5, 9) })
        {
            var q = randn([width], generator: generator).data<float>().ToArray();
            var k = randn([length, width], generator: generator);
            var v = randn([length, width], generator: generator);
            var expected = (nn.functional.softmax(k.matmul(tensor(q)) / Math.Sqrt(width), 0).unsqueeze(0).matmul(v))[0].data<float>().ToArray();
            var capacity = (length + 7) / 8 * 8;
            var keys = new float[capacity * width];
            var kHost = k.data<float>().ToArray();
            for (var t = 0; t < length; t++)
                for (var d = 0; d < width; d++) keys[HostMath.KeyIndex(t, d, width)] = kHost[t * width + d];
            var output = new float[width];
            HostMath.Attend(q, keys, v.data<float>().ToArray(), length, new float[capacity], output);
            Assert.All(Enumerable.Range(0, width), d => Assert.Equal(expected[d], output[d], 5));
        }
    }

    [Fact]
    public void Token_choice_is_greedy_at_temperature_zero_and_follows_the_softmax_otherwise()
    {
        float[] logits = [0.5f, 2f, 2f, -1f, 1f];
        var random = new RowRandom(1, 0);
        Assert.Equal(1, new TokenSampler(0, 1).Choose(logits, ref random));

        // 20 000 draws at temperature 2: frequencies within 0.015 of softmax(logits / 2).
        var sampler = new TokenSampler(2, 1);
        var counts = new int[logits.Length];
        for (var i = 0; i < 20_000; i++) counts[sampler.Choose(logits, ref random)]++;
        var weights = logits.Select(l => Math.Exp(l / 2)).ToArray();
        for (var v = 0; v < logits.Length; v++) Assert.Equal(weights[v] / weights.Sum(), counts[v] / 20_000.0, 0.015);

        // Top-p 0.6 keeps the two most likely tokens (the mass before the third, 0.76, passes 0.6): nothing else is drawn.
        var nucleus = new TokenSampler(1, 0.6);
        var drawn = Enumerable.Range(0, 2000).Select(_ => nucleus.Choose(logits, ref random)).Distinct().Order().ToArray();
        Assert.Equal([1, 2], drawn);
    }

    [Fact]
    public void Non_finite_logits_are_an_error_not_a_token()
    {
        var random = new RowRandom(1, 0);
        var e = Assert.Throws<InvalidOperationException>(() => new TokenSampler(1, 1).Choose([0f, float.NaN, 1f], ref random));
        Assert.Contains("not finite", e.Message);
    }

    private static string[] Texts(IReadOnlyList<IReadOnlyList<SampledCompletion>> groups) => [.. groups.SelectMany(g => g.Select(c => c.Text))];
}
