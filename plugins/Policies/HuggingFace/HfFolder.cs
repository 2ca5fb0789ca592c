using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Plugins.Policies.HuggingFace.Tokenizer;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// A Hugging Face model folder as this policy reads it: <c>config.json</c>, the weights (<see cref="HfWeights"/>),
/// <c>tokenizer.json</c>, and when present <c>generation_config.json</c> (the end-of-sequence ids generation stops at)
/// and <c>tokenizer_config.json</c>. Everything is read and checked against everything else when it opens.
/// </summary>
/// <param name="Files">The folder's other files (tokenizer_config.json, generation_config.json, chat templates, licences…), copied beside saved weights.</param>
public sealed record HfFolder(string ConfigPath, HfConfig Config, HfTokenizer Tokenizer, IReadOnlyList<int> EosTokenIds, IReadOnlyList<string> Files)
{
    public const string ConfigFile = "config.json";
    public const string TokenizerFile = "tokenizer.json";
    public const string GenerationFile = "generation_config.json";
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>Opens a folder with weights.</summary>
    /// <exception cref="InvalidDataException">A required file is missing, or a file or field is wrong; the message names them.</exception>
    public static HfFolder Open(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidDataException($"{folder}: no such folder; a Hugging Face model folder holds {ConfigFile}, {HfWeights.SingleFile} (or {HfWeights.IndexFile} and shards) and {TokenizerFile}.");
        var missing = new[] { ConfigFile, TokenizerFile }.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (!HfWeights.Present(folder)) missing.Add($"{HfWeights.SingleFile} (or {HfWeights.IndexFile})");
        if (missing.Count > 0) throw new InvalidDataException($"{folder}: not a Hugging Face model folder; missing {string.Join(", ", missing)}.");
        var others = Directory.EnumerateFiles(folder).Where(IsSideFile).Order(StringComparer.Ordinal).ToList();
        return Read(Path.Combine(folder, ConfigFile), HfTokenizer.Read(Path.Combine(folder, TokenizerFile)), others);
    }

    /// <summary>A config file and a tokenizer, for a model built from scratch (pretraining).</summary>
    public static HfFolder FromFiles(string configPath, HfTokenizer tokenizer)
    {
        if (!File.Exists(configPath)) throw new InvalidDataException($"{configPath}: no such file.");
        return Read(configPath, tokenizer, []);
    }

    /// <summary>The same model files with another tokenizer (one learned from a corpus), checked again.</summary>
    public HfFolder WithTokenizer(HfTokenizer tokenizer) => Read(ConfigPath, tokenizer, Files);

    private static HfFolder Read(string configPath, HfTokenizer tokenizer, IReadOnlyList<string> others)
    {
        var config = HfConfig.Read(configPath);
        var tokenizerPath = tokenizer.Path;
        if (tokenizer.VocabSize > config.VocabSize)
            throw new InvalidDataException($"{tokenizerPath}: the tokenizer has ids up to {tokenizer.VocabSize - 1}, but vocab_size in {configPath} is {config.VocabSize}: the embedding has no row for ids {config.VocabSize} and up.");
        var folder = Path.GetDirectoryName(configPath)!;
        var generation = Path.Combine(folder, GenerationFile);
        var eos = (File.Exists(generation) ? EosOfGeneration(generation) : null) is { Count: > 0 } fromGeneration ? fromGeneration
            : config.EosTokenIds.Count > 0 ? config.EosTokenIds
            : EosOfTokenizerConfig(Path.Combine(folder, TokenizerConfigFile), tokenizer)
            ?? (tokenizer.Id(BpeTrainer.EndOfText) is { } endOfText ? [endOfText] : (IReadOnlyList<int>?)null)
            ?? throw new InvalidDataException($"{configPath}: eos_token_id is not set here, in {GenerationFile} or in {TokenizerConfigFile}, and {tokenizerPath} has no {BpeTrainer.EndOfText}: generation would never end.");
        foreach (var id in eos)
            if (id >= tokenizer.VocabSize)
                throw new InvalidDataException($"{configPath}: end-of-sequence id {id} is past the tokenizer's vocabulary ({tokenizer.VocabSize} ids in {tokenizerPath}).");
        return new HfFolder(configPath, config, tokenizer, eos, others);
    }

    private static bool IsSideFile(string path)
    {
        var name = Path.GetFileName(path);
        return name is not (ConfigFile or TokenizerFile or HfWeights.IndexFile)
            && !name.EndsWith(".safetensors", StringComparison.Ordinal) && !name.EndsWith(".bin", StringComparison.Ordinal)
            && !name.EndsWith(".pth", StringComparison.Ordinal) && !name.EndsWith(AtomicFile.Suffix, StringComparison.Ordinal);
    }

    private static IReadOnlyList<int>? EosOfGeneration(string path)
    {
        var root = ParseObject(path);
        return root["eos_token_id"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var id) && id >= 0 => [id],
            JsonArray list when list.All(x => x is JsonValue v && v.TryGetValue<int>(out var i) && i >= 0) => [.. list.Select(x => x!.GetValue<int>())],
            var other => throw new InvalidDataException($"{path}: eos_token_id is {other.ToJsonString()}; it must be a token id or a list of them."),
        };
    }

    // tokenizer_config.json names the token: "eos_token": "</s>" or {"content": "</s>", ...}.
    private static IReadOnlyList<int>? EosOfTokenizerConfig(string path, HfTokenizer tokenizer)
    {
        if (!File.Exists(path)) return null;
        var token = ParseObject(path)["eos_token"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonObject o when o["content"] is JsonValue c && c.TryGetValue<string>(out var s) => s,
            _ => null,
        };
        if (token is null) return null;
        return tokenizer.Id(token) is { } id ? [id] : throw new InvalidDataException($"{path}: eos_token '{token}' is not a token of {tokenizer.Path}.");
    }

    private static JsonObject ParseObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new InvalidDataException($"{path}: the top level is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Writes the model as a folder transformers and vLLM load: the weights in the model's dtype, config.json with its
    /// dtype field set to match, tokenizer.json, and the source folder's other files.
    /// </summary>
    public void Save(HfDecoder model, string target)
    {
        Directory.CreateDirectory(target);
        HfWeights.Save(model, target);
        var dtype = model.parameters().First().dtype == TorchSharp.torch.ScalarType.BFloat16 ? "bfloat16" : "float32";
        var config = ParseObject(ConfigPath);
        // transformers 5.x writes dtype; 4.x torch_dtype. Keep the file's generation.
        config[config.ContainsKey("dtype") ? "dtype" : "torch_dtype"] = dtype;
        if (config["eos_token_id"] is null) config["eos_token_id"] = EosTokenIds.Count == 1 ? EosTokenIds[0] : EosJson();
        if (config["bos_token_id"] is null && Tokenizer.Encode("", addSpecialTokens: true) is [var bos]) config["bos_token_id"] = bos;
        AtomicFile.Write(Path.Combine(target, ConfigFile), t => File.WriteAllText(t, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        AtomicFile.Write(Path.Combine(target, TokenizerFile), Tokenizer.WriteTo);
        foreach (var file in Files.Where(f => Path.GetFullPath(f) != Path.GetFullPath(Path.Combine(target, Path.GetFileName(f)))))
            AtomicFile.Write(Path.Combine(target, Path.GetFileName(file)), t => File.Copy(file, t, overwrite: true));
        if (!Files.Any(f => Path.GetFileName(f) == GenerationFile))
            AtomicFile.Write(Path.Combine(target, GenerationFile), t => File.WriteAllText(t, new JsonObject { ["eos_token_id"] = EosJson() }.ToJsonString()));
    }

    private JsonArray EosJson() => new([.. EosTokenIds.Select(id => (JsonNode?)id)]);
}
