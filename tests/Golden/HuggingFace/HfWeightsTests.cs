using System.Text.Json.Nodes;
using Harness.Plugins.Policies.HuggingFace;
using Harness.Tests.Golden.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>
/// Weights of tiny checkpoints in the hub's layout (made by Fixtures/make-model-fixtures.py with python3-torch): the
/// decoder's logits equal the independent reference's, saving is bit-exact, and a mismatch names the tensor.
/// </summary>
[Collection(TorchCollection.Name)]
public class HfWeightsTests
{
    public static readonly string Models = Path.Combine(RepoRoot.Path, "tests/Golden/HuggingFace/Fixtures/models");

    public static HfDecoder Load(string folder, ScalarType type = ScalarType.Float32)
    {
        var model = new HfDecoder(HfConfig.Read(Path.Combine(folder, "config.json")));
        model.to(type);
        HfWeights.Load(model, folder);
        return model;
    }

    [Theory]
    [InlineData("qwen2-tied-bf16")]
    [InlineData("llama-untied-f32")]
    [InlineData("qwen3-untied-f16")]
    public void Logits_equal_the_python_reference_within_1e_4(string name)
    {
        var folder = Path.Combine(Models, name);
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reference-logits.json")))!;
        var ids = reference["ids"]!.AsArray().Select(i => (long)i!).ToArray();
        var expected = reference["logits"]!.AsArray().SelectMany(row => row!.AsArray().Select(v => (float)v!)).ToArray();
        using var model = Load(folder);

        using var _ = no_grad();
        var logits = model.forward(tensor(ids, [1, ids.Length])).flatten().data<float>().ToArray();

        Assert.Equal(expected.Length, logits.Length);
        var worst = expected.Zip(logits, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"{name}: largest difference from the reference is {worst:E2}");
        Assert.True(expected.Max(Math.Abs) > 1, "the reference's logits are not trivially small");
    }

    [Fact]
    public void Loading_bf16_weights_into_a_bf16_model_and_saving_gives_the_stored_bytes_back()
    {
        var folder = Path.Combine(Models, "qwen2-tied-bf16");
        using var model = Load(folder, ScalarType.BFloat16);
        using var dir = new TempDirectory();

        HfWeights.Save(model, dir.Path);

        using var original = SafeTensorsFile.Open(Path.Combine(folder, HfWeights.SingleFile));
        using var saved = SafeTensorsFile.Open(Path.Combine(dir.Path, HfWeights.SingleFile));
        Assert.Equal(original.Tensors.Keys.Order(), saved.Tensors.Keys.Order());
        foreach (var (name, entry) in original.Tensors)
        {
            Assert.Equal("BF16", saved.Tensors[name].DType);
            Assert.Equal(entry.Shape, saved.Tensors[name].Shape);
            Assert.Equal(original.Read(entry), saved.Read(saved.Tensors[name]));
        }
        Assert.Equal("pt", saved.Metadata["format"]);
    }

    [Theory]
    [InlineData(HfWeights.DefaultShardBytes, 1)]
    [InlineData(20_000, 10)]
    public void Load_save_load_is_bit_exact_in_one_file_or_shards(long shardBytes, int atLeastFiles)
    {
        using var model = Load(Path.Combine(Models, "llama-untied-f32"));
        using var dir = new TempDirectory();
        HfWeights.Save(model, dir.Path, shardBytes);
        File.Copy(Path.Combine(Models, "llama-untied-f32", "config.json"), Path.Combine(dir.Path, "config.json"));

        using var again = Load(dir.Path);

        Assert.True(Directory.GetFiles(dir.Path, "*.safetensors").Length >= atLeastFiles);
        Assert.Equal(shardBytes < HfWeights.DefaultShardBytes, File.Exists(Path.Combine(dir.Path, HfWeights.IndexFile)));
        var first = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        foreach (var (name, parameter) in again.named_parameters()) Assert.Equal(first[name], parameter.data<float>().ToArray());
    }

    [Fact]
    public void Saving_over_a_sharded_folder_in_one_file_removes_the_old_shards()
    {
        using var model = Load(Path.Combine(Models, "llama-untied-f32"));
        using var dir = new TempDirectory();
        HfWeights.Save(model, dir.Path, 20_000);

        HfWeights.Save(model, dir.Path);

        Assert.Equal([HfWeights.SingleFile], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    private static string Broken(TempDirectory dir, Action<Dictionary<string, (string DType, long[] Shape, byte[] Data)>> edit, string model = "qwen2-tied-bf16")
    {
        var source = Path.Combine(Models, model);
        using (var file = SafeTensorsFile.Open(Path.Combine(source, HfWeights.SingleFile)))
        {
            var tensors = file.Tensors.ToDictionary(t => t.Key, t => (t.Value.DType, t.Value.Shape, Data: file.Read(t.Value)));
            edit(tensors);
            SafeTensorsFile.Write(Path.Combine(dir.Path, HfWeights.SingleFile), tensors.Select(t => (t.Key, t.Value.DType, t.Value.Shape, t.Value.Data)));
        }
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(dir.Path, "config.json"));
        return dir.Path;
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<InvalidDataException>(() => Load(Broken(dir, t => t.Remove("model.layers.1.mlp.up_proj.weight"))));
        Assert.Contains("missing: model.layers.1.mlp.up_proj.weight", error.Message);
        Assert.Contains("Qwen2ForCausalLM", error.Message);
    }

    [Fact]
    public void An_extra_tensor_is_named_but_lm_head_beside_tied_embeddings_and_rotary_buffers_are_ignored()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<InvalidDataException>(() => Load(Broken(dir, t => t["model.layers.0.self_attn.o_proj.bias"] = ("BF16", [64], new byte[128]))));
        Assert.Contains("not in the model: model.layers.0.self_attn.o_proj.bias", error.Message);

        using var ignored = new TempDirectory();
        using var model = Load(Broken(ignored, t =>
        {
            t["lm_head.weight"] = t["model.embed_tokens.weight"];
            t["model.layers.0.self_attn.rotary_emb.inv_freq"] = ("F32", [8], new byte[32]);
        }));
        Assert.NotNull(model);
    }

    [Fact]
    public void A_mis_shaped_tensor_is_named_with_both_shapes()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<InvalidDataException>(() => Load(Broken(dir, t => t["model.norm.weight"] = ("BF16", [32, 2], t["model.norm.weight"].Data))));
        Assert.Contains("tensor 'model.norm.weight' has shape [32, 2]; the model's model.norm.weight is [64]", error.Message);
    }

    [Fact]
    public void An_index_naming_a_missing_shard_or_no_weights_at_all_is_refused_with_the_file_named()
    {
        using var dir = new TempDirectory();
        Assert.Contains("no weights", Assert.Throws<InvalidDataException>(() => HfWeights.Map(dir.Path)).Message);
        dir.File(HfWeights.IndexFile, """{"weight_map": {"model.norm.weight": "model-00001-of-00002.safetensors"}}""");
        var error = Assert.Throws<InvalidDataException>(() => HfWeights.Map(dir.Path));
        Assert.Contains("weight_map.model.norm.weight names model-00001-of-00002.safetensors, which is not in", error.Message);
        dir.File(HfWeights.IndexFile, """{"weight_map": {"model.norm.weight": "../elsewhere.safetensors"}}""");
        Assert.Contains("must be a shard's file name in the same folder", Assert.Throws<InvalidDataException>(() => HfWeights.Map(dir.Path)).Message);
    }
}
