using Harness.Plugins.Policies.HuggingFace;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>config.json of both transformers generations, as the hub's Qwen2.5, Llama-3.1 and Qwen3 folders hold them, and the errors for the rest.</summary>
public class HfConfigTests
{
    // Shapes and fields as Qwen2.5-0.5B's config.json (transformers 4.x) has them.
    private const string Qwen25 = """
        { "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643,
          "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864,
          "max_position_embeddings": 32768, "max_window_layers": 24, "model_type": "qwen2", "num_attention_heads": 14,
          "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
          "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.40.1",
          "use_cache": true, "use_sliding_window": false, "vocab_size": 151936, "rope_scaling": null }
        """;

    // As Llama-3.1-8B's (4.x, with Llama-3's rope_scaling).
    private const string Llama31 = """
        { "architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009],
          "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 14336, "max_position_embeddings": 131072, "mlp_bias": false,
          "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
          "rope_scaling": { "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3" },
          "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256 }
        """;

    // As transformers 5.x writes a Qwen3: rope_parameters and dtype, an explicit head_dim.
    private const string Qwen3 = """
        { "architectures": ["Qwen3ForCausalLM"], "eos_token_id": 151645, "head_dim": 128, "hidden_size": 1024, "intermediate_size": 3072,
          "max_position_embeddings": 40960, "model_type": "qwen3", "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 8,
          "rms_norm_eps": 1e-06, "rope_parameters": { "rope_theta": 1000000, "rope_type": "default" }, "tie_word_embeddings": true,
          "dtype": "bfloat16", "vocab_size": 151936 }
        """;

    private static HfConfig Read(string json)
    {
        using var dir = new TempDirectory();
        return HfConfig.Read(dir.File("config.json", json));
    }

    [Fact]
    public void Qwen2_of_transformers_4_reads_with_its_biases_tied_embeddings_and_grouped_heads()
    {
        var c = Read(Qwen25);

        Assert.Equal((HfFamily.Qwen2, 896, 4864, 24, 14, 2, 64), (c.Family, c.HiddenSize, c.IntermediateSize, c.Layers, c.Heads, c.KeyValueHeads, c.HeadDim));
        Assert.Equal((151936, 1e-6, 1_000_000.0, true, true, "bfloat16"), (c.VocabSize, c.RmsNormEps, c.RopeTheta, c.TieWordEmbeddings, c.AttentionBias, c.Dtype));
        Assert.Null(c.RopeScaling);
        Assert.Equal([151643], c.EosTokenIds);
    }

    [Fact]
    public void Llama_3_reads_its_rope_scaling_and_every_end_token()
    {
        var c = Read(Llama31);

        Assert.Equal((HfFamily.Llama, 128, false, false, 500_000.0), (c.Family, c.HeadDim, c.AttentionBias, c.TieWordEmbeddings, c.RopeTheta));
        Assert.Equal(new Llama3RopeScaling(8, 1, 4, 8192), c.RopeScaling);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(128000, c.BosTokenId);
    }

    [Fact]
    public void Transformers_5_rope_parameters_and_dtype_are_read_as_the_4_fields_are()
    {
        var c = Read(Qwen3);
        var llama5 = Read(Llama31.Replace("\"rope_scaling\"", "\"rope_parameters\"").Replace("\"rope_type\": \"llama3\"", "\"rope_type\": \"llama3\", \"rope_theta\": 500000.0")
            .Replace("\"rope_theta\": 500000.0, \"tie", "\"tie").Replace("torch_dtype", "dtype"));

        Assert.Equal((HfFamily.Qwen3, 128, 1_000_000.0, "bfloat16", false), (c.Family, c.HeadDim, c.RopeTheta, c.Dtype, c.AttentionBias));
        Assert.Equal((500_000.0, new Llama3RopeScaling(8, 1, 4, 8192), "bfloat16"), (llama5.RopeTheta, llama5.RopeScaling, llama5.Dtype));
    }

    [Fact]
    public void Mistral_is_a_llama_and_a_config_without_optional_fields_takes_transformers_defaults()
    {
        var c = Read("""{ "model_type": "mistral", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 300 }""");

        Assert.Equal((HfFamily.Llama, "MistralForCausalLM", 4, 16, 10000.0, false), (c.Family, c.Architecture, c.KeyValueHeads, c.HeadDim, c.RopeTheta, c.TieWordEmbeddings));
        Assert.Empty(c.EosTokenIds);
    }

    [Theory]
    [InlineData("\"model_type\": \"qwen2\"", "\"model_type\": \"gpt2\"", "model_type 'gpt2' is not supported; supported: qwen2 (Qwen2ForCausalLM), llama (LlamaForCausalLM), mistral (MistralForCausalLM), qwen3 (Qwen3ForCausalLM).")]
    [InlineData("[\"Qwen2ForCausalLM\"]", "[\"Qwen2ForSequenceClassification\"]", "architectures [Qwen2ForSequenceClassification] has no causal LM")]
    [InlineData("\"hidden_size\": 896,", "", "hidden_size is missing; it must be a positive integer.")]
    [InlineData("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3", "num_attention_heads (14) is not a multiple of num_key_value_heads (3).")]
    [InlineData("\"rms_norm_eps\": 1e-06", "\"rms_norm_eps\": \"small\"", "rms_norm_eps is \"small\"; it must be a positive number.")]
    [InlineData("\"use_sliding_window\": false", "\"use_sliding_window\": true", "use_sliding_window is true")]
    [InlineData("\"rope_scaling\": null", "\"rope_scaling\": { \"rope_type\": \"yarn\", \"factor\": 4 }", "rope_scaling.rope_type 'yarn' is not supported; supported: default, llama3.")]
    [InlineData("\"eos_token_id\": 151643", "\"eos_token_id\": \"<eos>\"", "eos_token_id is \"<eos>\"; it must be a token id or a list of them.")]
    public void A_config_the_policy_cannot_build_is_an_error_naming_the_file_and_field(string from, string to, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json", Qwen25.Replace(from, to));

        var error = Assert.Throws<InvalidDataException>(() => HfConfig.Read(path));

        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
