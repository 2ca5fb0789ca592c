using Microsoft.Extensions.Configuration;

namespace Harness.Experiments;

/// <summary>
/// Reads an experiment: its JSON file, then command-line overrides (<c>key=value</c>, with <c>.</c> or
/// <c>:</c> between levels, e.g. <c>grpo.groupSize=16</c> or <c>rewards.0.weight=2</c>), then validates it.
/// Unknown keys are errors, so a typo never silently falls back to a default.
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
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false)
            .AddInMemoryCollection(ParseOverrides(overrides ?? []));

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
