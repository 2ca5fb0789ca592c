using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harness.Core;
using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

/// <summary>
/// Reads an experiment: the file its <c>extends</c> key names (recursively; relative to the extending file),
/// then its own JSON file, then command-line overrides (<c>key=value</c>, with <c>.</c> or <c>:</c> between
/// levels, e.g. <c>grpo.groupSize=16</c> or <c>rewards.0.weight=2</c>), each layer overriding the one before
/// (objects key by key, lists by index, and an empty list empties the list it overrides); then validates it.
/// Unknown keys are errors, so a typo never silently falls back to a default.
/// </summary>
public static partial class ExperimentLoader
{
    /// <summary>
    /// Loads an experiment resolved: its <c>extends</c> chain merged (and dropped), overrides applied, validated, named
    /// (after its file when it names itself nothing), and
    /// its own paths (plugin directories, task file) made absolute against the working directory, so that the run
    /// directory's config.json stands alone. Paths inside plugin settings are made absolute when the plugins are
    /// resolved (<see cref="ExperimentPlugins.Resolve"/>), since only a plugin knows which of its settings are paths.
    /// </summary>
    public static ExperimentConfig Load(string path, IEnumerable<string>? overrides = null)
    {
        var config = Load(path, overrides, new ExperimentConfigValidator(), "experiment");
        config.Extends = null;
        if (string.IsNullOrWhiteSpace(config.Name)) config.Name = Path.GetFileNameWithoutExtension(path);
        config.PluginDirectories = [.. config.PluginDirectories.Select(Path.GetFullPath)];
        if (!string.IsNullOrWhiteSpace(config.Tasks.File)) config.Tasks.File = Path.GetFullPath(config.Tasks.File);
        if (!string.IsNullOrWhiteSpace(config.Tasks.EvalFile)) config.Tasks.EvalFile = Path.GetFullPath(config.Tasks.EvalFile);
        return config;
    }

    /// <summary>Reads any JSON config file the same way: overrides, unknown keys refused, then validated.</summary>
    public static T Load<T>(string path, IEnumerable<string>? overrides, Microsoft.Extensions.Options.IValidateOptions<T> validator, string what)
        where T : class, new()
    {
        if (!File.Exists(path)) throw new HarnessException($"{char.ToUpperInvariant(what[0])}{what[1..]} file '{path}' does not exist.");
        VariantConverters.Register(typeof(T));
        var builder = new ConfigurationBuilder();
        builder.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Layered(ExtendsChain(path)).ToJsonString())));
        builder.AddInMemoryCollection(ParseOverrides(overrides ?? []));

        T config;
        try
        {
            config = builder.Build().Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException)
        {
            throw new HarnessException($"{path}: {Describe<T>(e)}", e);
        }

        var result = validator.Validate(null, config);
        if (result.Failed)
            throw new HarnessException($"{path} is not a valid {what}:{Environment.NewLine}" +
                string.Join(Environment.NewLine, result.Failures.Select(f => $"  - {f}")));
        return config;
    }

    /// <summary>The files to layer, read, the furthest base first and <paramref name="path"/> last.</summary>
    private static List<(string File, JsonObject Json)> ExtendsChain(string path)
    {
        var chain = new List<(string File, JsonObject Json)>();
        for (var file = Path.GetFullPath(path); ;)
        {
            if (chain.Any(c => c.File == file)) throw new HarnessException($"{path}: 'extends' loops: {string.Join(" -> ", chain.Select(c => c.File).Reverse().Append(file))}.");
            var json = Read(file);
            chain.Insert(0, (file, json));
            var extends = Extends(file, json);
            if (extends is null) return chain;
            var next = Path.GetFullPath(extends, Path.GetDirectoryName(file)!);
            if (!File.Exists(next)) throw new HarnessException($"{file}: extends '{extends}', but {next} does not exist.");
            file = next;
        }
    }

    /// <summary>
    /// The chain as one object, each file laid over the ones it extends. Configuration's own layering cannot empty a
    /// list (a later <c>[]</c> leaves the earlier items), so the layers are merged here, before binding.
    /// </summary>
    private static JsonObject Layered(List<(string File, JsonObject Json)> chain)
    {
        var merged = new JsonObject(CaseInsensitive);
        foreach (var (_, json) in chain) Overlay(merged, json);
        return merged;
    }

    // Configuration keys are case-insensitive, so the layers' keys are too.
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    // The merged tree holds copies only, so each layer is laid into it in place.
    private static void Overlay(JsonObject under, JsonObject over)
    {
        foreach (var (key, value) in over)
            if (!LaidInPlace(under[key], value)) under[key] = value?.DeepClone();
    }

    private static void Overlay(JsonArray under, JsonArray over)
    {
        for (var i = 0; i < over.Count; i++)
            if (i >= under.Count) under.Add(over[i]?.DeepClone());
            else if (!LaidInPlace(under[i], over[i])) under[i] = over[i]?.DeepClone();
    }

    /// <summary>Lays <paramref name="over"/> into <paramref name="under"/> where both are objects, or lists with <paramref name="over"/> not empty; false where it replaces it.</summary>
    private static bool LaidInPlace(JsonNode? under, JsonNode? over)
    {
        switch (under, over)
        {
            case (JsonObject a, JsonObject b):
                Overlay(a, b);
                return true;
            case (JsonArray a, JsonArray { Count: > 0 } b):
                Overlay(a, b);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The <c>extends</c> value of one file of the chain.</summary>
    private static string? Extends(string file, JsonObject o)
    {
        if (!o.TryGetPropertyValue("extends", out var value) || value is null) return null;
        return value is JsonValue v && v.TryGetValue<string>(out var extends)
            ? extends
            : throw new HarnessException($"{file}: 'extends' must be a string, the file this one builds on (got {value.ToJsonString()}).");
    }

    /// <summary>One file of the chain; a file that is not a JSON object is refused, naming where it breaks.</summary>
    private static JsonObject Read(string file)
    {
        var text = File.ReadAllText(file);
        if (string.IsNullOrWhiteSpace(text)) throw new HarnessException($"{file} is empty: an experiment is a JSON object.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, CaseInsensitive, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new HarnessException($"{file}: not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {WithoutLocation(e.Message)}", e);
        }
        return node is JsonObject o ? o : throw new HarnessException($"{file}: the top level is {Kind(node)}, not a JSON object.");
    }

    // System.Text.Json ends its messages with where it stopped, which the caller already says as line and position.
    private static string WithoutLocation(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (at < 0) at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (at < 0 ? message : message[..at]).TrimEnd();
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => $"a value ({node.ToJsonString()})",
    };

    /// <summary>Turns <c>key=value</c> overrides into configuration entries.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ParseOverrides(IEnumerable<string> overrides) =>
        overrides.Select(o =>
        {
            var eq = o.IndexOf('=');
            if (eq <= 0) throw new HarnessException($"Override '{o}' is not of the form key=value (e.g. grpo.groupSize=16).");
            return new KeyValuePair<string, string?>(o[..eq].Trim().Replace('.', ':'), o[(eq + 1)..]);
        });

    // The binder names the key it could not convert ("... at 'Grpo:LossAggregation' ...") and its inner error says why;
    // for an unknown key it names the keys and the type they were looked for on.
    private static string Describe<T>(Exception e)
    {
        if (BinderKey().Match(e.Message) is { Success: true } at && e.InnerException is { } why)
            return $"{FieldName(at.Groups[1].Value)}: {ParameterNote().Replace(why.Message, "").TrimEnd('.')}.";
        var chain = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) chain.Add(x.Message);
        if (chain.Select(m => UnknownKeys().Match(m)).FirstOrDefault(m => m.Success) is { } unknown)
        {
            var type = typeof(T).Assembly.GetType(unknown.Groups[1].Value);
            var keys = type?.GetProperties().Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)) ?? [];
            var section = typeof(T).GetProperties().FirstOrDefault(p => p.PropertyType == type)?.Name;
            return $"unknown key {unknown.Groups[2].Value}{(section is null ? "" : $" in {JsonNamingPolicy.CamelCase.ConvertName(section)}")} " +
                $"(a typo never falls back to a default); the keys there are {string.Join(", ", keys)}.";
        }
        return string.Join(" ", chain.Distinct());
    }

    /// <summary>A configuration key as the validator names fields: <c>Rewards:0:Weight</c> is <c>rewards[0].weight</c>.</summary>
    private static string FieldName(string key) => string.Concat(key.Split(':').Select((part, i) =>
        int.TryParse(part, out _) ? $"[{part}]" : (i == 0 ? "" : ".") + char.ToLowerInvariant(part[0]) + part[1..]));

    [GeneratedRegex("at '([^']+)'")]
    private static partial Regex BinderKey();

    [GeneratedRegex(@" \(Parameter '\w+'\)")]
    private static partial Regex ParameterNote();

    [GeneratedRegex(@"not found on the instance of ([\w\.]+): (.+)$")]
    private static partial Regex UnknownKeys();
}
