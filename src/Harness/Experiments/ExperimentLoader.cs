using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

/// <summary>
/// Reads an experiment: the file its <c>extends</c> key names (recursively; relative to the extending file),
/// then its own JSON file, then command-line overrides (<c>key=value</c>, with <c>.</c> or <c>:</c> between
/// levels, e.g. <c>grpo.groupSize=16</c> or <c>rewards.0.weight=2</c>), each layer overriding the one before;
/// then validates it. Unknown keys are errors, so a typo never silently falls back to a default.
/// </summary>
public static class ExperimentLoader
{
    public static ExperimentConfig Load(string path, IEnumerable<string>? overrides = null) =>
        Load(path, overrides, new ExperimentConfigValidator(), "experiment");

    /// <summary>Reads any JSON config file the same way: overrides, unknown keys refused, then validated.</summary>
    public static T Load<T>(string path, IEnumerable<string>? overrides, Microsoft.Extensions.Options.IValidateOptions<T> validator, string what)
        where T : class, new()
    {
        if (!File.Exists(path)) throw new HarnessException($"{char.ToUpperInvariant(what[0])}{what[1..]} file '{path}' does not exist.");
        var builder = new ConfigurationBuilder();
        foreach (var file in ExtendsChain(path, what)) builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        builder.AddInMemoryCollection(ParseOverrides(overrides ?? []));

        T config;
        try
        {
            config = builder.Build().Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException)
        {
            throw new HarnessException($"{path}: {Describe(e)}", e);
        }

        var result = validator.Validate(null, config);
        if (result.Failed)
            throw new HarnessException($"{path} is not a valid {what}:{Environment.NewLine}" +
                string.Join(Environment.NewLine, result.Failures.Select(f => $"  - {f}")));
        return config;
    }

    /// <summary>The files to layer, the furthest base first and <paramref name="path"/> last.</summary>
    private static List<string> ExtendsChain(string path, string what)
    {
        var chain = new List<string>();
        for (var file = Path.GetFullPath(path); ;)
        {
            if (chain.Contains(file)) throw new HarnessException($"{path}: 'extends' loops: {string.Join(" -> ", chain.AsEnumerable().Reverse().Append(file))}.");
            chain.Insert(0, file);
            var extends = ReadExtends(file);
            if (extends is null) return chain;
            var next = Path.GetFullPath(extends, Path.GetDirectoryName(file)!);
            if (!File.Exists(next)) throw new HarnessException($"{file}: extends '{extends}', but {next} does not exist.");
            file = next;
        }
    }

    private static string? ReadExtends(string file)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return node is JsonObject o && o.TryGetPropertyValue("extends", out var value) ? value?.GetValue<string>() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new HarnessException($"{file}: {e.Message} ('extends' must be a string: the file this one builds on).", e);
        }
    }

    /// <summary>Turns <c>key=value</c> overrides into configuration entries.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ParseOverrides(IEnumerable<string> overrides) =>
        overrides.Select(o =>
        {
            var eq = o.IndexOf('=');
            if (eq <= 0) throw new HarnessException($"Override '{o}' is not of the form key=value (e.g. grpo.groupSize=16).");
            return new KeyValuePair<string, string?>(o[..eq].Trim().Replace('.', ':'), o[(eq + 1)..]);
        });

    // The JSON provider wraps the parser's message, which says where the file is broken: keep the whole chain.
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        return string.Join(" ", messages.Distinct());
    }
}
