using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// A model's weights as a Hugging Face folder stores them: <c>model.safetensors</c>, or shards named by the
/// <c>weight_map</c> of <c>model.safetensors.index.json</c> (the layout transformers' <c>save_pretrained</c> writes).
/// Loading checks every tensor against the module before it copies any; saving writes the module's own dtype, so a
/// load → save → load round trip is bit-exact.
/// </summary>
public static class HfWeights
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>transformers' default shard size for <c>save_pretrained</c> (5 GB).</summary>
    public const long DefaultShardBytes = 5_000_000_000;

    /// <summary>Whether a folder holds weights this loader reads.</summary>
    public static bool Present(string folder) => File.Exists(Path.Combine(folder, SingleFile)) || File.Exists(Path.Combine(folder, IndexFile));

    /// <summary>The tensor names of a folder's weights and the file holding each (the index's weight_map, or the single file's header).</summary>
    /// <exception cref="InvalidDataException">No weights, a bad index, or a shard it names is missing; the message names the file.</exception>
    public static IReadOnlyDictionary<string, string> Map(string folder)
    {
        var index = Path.Combine(folder, IndexFile);
        if (File.Exists(index)) return ReadIndex(folder, index);
        var single = Path.Combine(folder, SingleFile);
        if (!File.Exists(single))
            throw new InvalidDataException($"{folder}: no weights; a Hugging Face folder holds {SingleFile}, or {IndexFile} and its shards.");
        using var file = SafeTensorsFile.Open(single);
        return file.Tensors.Keys.ToDictionary(name => name, _ => single);
    }

    /// <summary>
    /// Copies every parameter of <paramref name="model"/> from the folder's weights, cast to the parameter's dtype.
    /// Tensors transformers itself ignores are skipped: rotary <c>inv_freq</c> buffers, and <c>lm_head.weight</c> when the
    /// embeddings are tied.
    /// </summary>
    /// <exception cref="InvalidDataException">A tensor is missing, extra or of another shape (named, with both shapes), or a file is broken.</exception>
    public static void Load(HfDecoder model, string folder)
    {
        var map = Map(folder);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var ignored = map.Keys.Where(name => name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
            || (name == "lm_head.weight" && model.Config.TieWordEmbeddings)).ToHashSet();
        var missing = parameters.Keys.Where(name => !map.ContainsKey(name)).Order().ToList();
        var extra = map.Keys.Where(name => !parameters.ContainsKey(name) && !ignored.Contains(name)).Order().ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidDataException($"{folder}: the weights do not match the {model.Config.Architecture} that config.json describes"
                + (missing.Count > 0 ? $"; missing: {Names(missing)}" : "") + (extra.Count > 0 ? $"; not in the model: {Names(extra)}" : "") + ".");

        var files = map.Where(m => parameters.ContainsKey(m.Key)).GroupBy(m => m.Value, m => m.Key).ToList();
        var opened = new List<SafeTensorsFile>();
        try
        {
            foreach (var group in files)
            {
                var file = SafeTensorsFile.Open(group.Key);
                opened.Add(file);
                foreach (var name in group)
                {
                    if (!file.Tensors.TryGetValue(name, out var entry))
                        throw new InvalidDataException($"{group.Key}: tensor '{name}' is not in this file, though {IndexFile} maps it here.");
                    var expected = parameters[name].shape;
                    if (!entry.Shape.SequenceEqual(expected))
                        throw new InvalidDataException($"{group.Key}: tensor '{name}' has shape {Shape(entry.Shape)}; the model's {name} is {Shape(expected)}.");
                }
            }
            using var noGrad = no_grad();
            foreach (var (group, file) in files.Zip(opened))
                foreach (var name in group)
                {
                    // The scope keeps the converted copy referenced until copy_ returns: an unreferenced temporary can be
                    // finalized, and its native tensor freed, while libtorch still reads it (seen loading 0.5B weights).
                    using var scope = NewDisposeScope();
                    var parameter = parameters[name];
                    var stored = TensorBytes.Read(file, file.Tensors[name]);
                    var converted = stored.to(parameter.dtype, parameter.device);
                    parameter.copy_(converted);
                }
        }
        finally
        {
            foreach (var file in opened) file.Dispose();
        }
    }

    /// <summary>
    /// Writes the module's parameters, in their own dtype, as <c>model.safetensors</c>, or as numbered shards and an
    /// index when they pass <paramref name="shardBytes"/>; each file atomically. Stale weights files of the other layout are removed.
    /// </summary>
    public static void Save(HfDecoder model, string folder, long shardBytes = DefaultShardBytes)
    {
        Directory.CreateDirectory(folder);
        var tensors = model.named_parameters().Select(p => (p.name, Stored: TensorBytes.Stored(p.parameter))).ToList();
        var shards = new List<List<(string Name, string DType, long[] Shape, byte[] Data)>> { new() };
        var size = 0L;
        foreach (var (name, (dtype, shape, data)) in tensors)
        {
            if (size > 0 && size + data.LongLength > shardBytes)
            {
                shards.Add([]);
                size = 0;
            }
            shards[^1].Add((name, dtype, shape, data));
            size += data.LongLength;
        }
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        foreach (var stale in Directory.EnumerateFiles(folder, "model*.safetensors*")) File.Delete(stale);
        if (shards.Count == 1)
        {
            SafeTensorsFile.Write(Path.Combine(folder, SingleFile), shards[0], metadata);
            return;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafeTensorsFile.Write(Path.Combine(folder, name), shards[i], metadata);
            foreach (var tensor in shards[i]) weightMap[tensor.Name] = name;
        }
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = tensors.Sum(t => t.Stored.Data.LongLength) },
            ["weight_map"] = weightMap,
        };
        AtomicFile.Write(Path.Combine(folder, IndexFile), t => File.WriteAllText(t, index.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    private static Dictionary<string, string> ReadIndex(string folder, string index)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(index));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{index}: not valid JSON ({e.Message}).", e);
        }
        if (root?["weight_map"] is not JsonObject weightMap || weightMap.Count == 0)
            throw new InvalidDataException($"{index}: weight_map is missing or empty; it must map each tensor name to its shard file.");
        var map = new Dictionary<string, string>();
        foreach (var (name, value) in weightMap)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var shard) || shard.Length == 0 || Path.GetFileName(shard) != shard)
                throw new InvalidDataException($"{index}: weight_map.{name} is {value?.ToJsonString() ?? "null"}; it must be a shard's file name in the same folder.");
            var path = Path.Combine(folder, shard);
            if (!File.Exists(path)) throw new InvalidDataException($"{index}: weight_map.{name} names {shard}, which is not in {folder}.");
            map[name] = path;
        }
        return map;
    }

    private static string Names(List<string> names) => string.Join(", ", names.Take(8)) + (names.Count > 8 ? $" and {names.Count - 8} more" : "");

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
