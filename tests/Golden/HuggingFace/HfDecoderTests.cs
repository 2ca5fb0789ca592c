using Harness.Plugins.Policies.Decoding;
using Harness.Plugins.Policies.HuggingFace;
using Harness.Tests.Golden.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>The decoder's parameters carry the hub's names and shapes, and decoding through its KV cache gives the full forward's logits.</summary>
[Collection(TorchCollection.Name)]
public class HfDecoderTests
{
    private static HfConfig Config(string modelType, bool tied, int kvHeads = 2) =>
        HfConfigFile($$"""
            { "model_type": "{{modelType}}", "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4,
              "num_key_value_heads": {{kvHeads}}, "vocab_size": 50, "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": {{(tied ? "true" : "false")}} }
            """);

    private static HfConfig HfConfigFile(string json)
    {
        using var dir = new TempDirectory();
        return HfConfig.Read(dir.File("config.json", json));
    }

    [Theory]
    [InlineData("qwen2", true)]
    [InlineData("llama", false)]
    [InlineData("qwen3", true)]
    public void Parameters_have_the_hub_names_and_shapes(string modelType, bool tied)
    {
        using var model = new HfDecoder(Config(modelType, tied));
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => string.Join("x", p.parameter.shape));

        var expected = new Dictionary<string, string> { ["model.embed_tokens.weight"] = "50x32", ["model.norm.weight"] = "32" };
        if (!tied) expected["lm_head.weight"] = "50x32";
        for (var i = 0; i < 2; i++)
        {
            var layer = $"model.layers.{i}.";
            expected[layer + "input_layernorm.weight"] = expected[layer + "post_attention_layernorm.weight"] = "32";
            (expected[layer + "self_attn.q_proj.weight"], expected[layer + "self_attn.k_proj.weight"], expected[layer + "self_attn.v_proj.weight"]) = ("32x32", "16x32", "16x32");
            expected[layer + "self_attn.o_proj.weight"] = "32x32";
            if (modelType == "qwen2")
                (expected[layer + "self_attn.q_proj.bias"], expected[layer + "self_attn.k_proj.bias"], expected[layer + "self_attn.v_proj.bias"]) = ("32", "16", "16");
            if (modelType == "qwen3") expected[layer + "self_attn.q_norm.weight"] = expected[layer + "self_attn.k_norm.weight"] = "8";
            (expected[layer + "mlp.gate_proj.weight"], expected[layer + "mlp.up_proj.weight"], expected[layer + "mlp.down_proj.weight"]) = ("48x32", "48x32", "32x48");
        }

        Assert.Equal(expected.OrderBy(e => e.Key), shapes.OrderBy(e => e.Key));
    }

    [Theory]
    [InlineData("qwen2", 2)]
    [InlineData("llama", 4)]
    [InlineData("qwen3", 1)]
    public void Decoding_through_the_kv_cache_gives_the_full_forward_logits(string modelType, int kvHeads)
    {
        torch.manual_seed(4);
        using var model = new HfDecoder(Config(modelType, tied: modelType != "llama", kvHeads));
        using (no_grad())
            foreach (var p in model.parameters()) p.normal_(0, 0.3);
        model.eval();
        using var _ = no_grad();
        var ids = randint(0, 50, [3, 12], dtype: ScalarType.Int64);
        var full = model.forward(ids);

        using var cache = new KvCache(model.Config.Layers, 3, model.Config.KeyValueHeads, 12, model.Config.HeadDim, CPU);
        var prefill = model.Decode(ids.narrow(1, 0, 5), cache, 0);
        var steps = Enumerable.Range(5, 7).Select(p => model.Decode(ids.narrow(1, p, 1), cache, p)).ToArray();
        var decoded = cat([prefill, .. steps], 1);

        Assert.Equal(full.shape, decoded.shape);
        Assert.True(full.allclose(decoded, rtol: 1e-4, atol: 1e-5), $"largest difference {(full - decoded).abs().max().item<float>()}");
        // Positions matter: the same token at two positions gets two different predictions.
        Assert.False(model.forward(ids.narrow(1, 1, 11)).allclose(full.narrow(1, 1, 11), rtol: 1e-4, atol: 1e-5));
    }
}
