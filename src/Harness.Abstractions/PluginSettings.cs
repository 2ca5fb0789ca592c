using System.Globalization;

namespace Harness.Abstractions;

/// <summary>
/// The settings an experiment config gives one plugin: plain text values by key, read with typed getters
/// that fail with an error naming the plugin and the key.
/// </summary>
public sealed class PluginSettings
{
    private readonly IReadOnlyDictionary<string, string> _values;

    /// <summary>Creates the settings of one plugin.</summary>
    /// <param name="pluginName">The plugin's name, used in error messages.</param>
    /// <param name="values">The values by key; keys compare case-insensitively.</param>
    public PluginSettings(string pluginName, IReadOnlyDictionary<string, string>? values = null)
    {
        PluginName = pluginName;
        _values = new Dictionary<string, string>(values ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The name of the plugin these settings belong to.</summary>
    public string PluginName { get; }

    /// <summary>Reads a text value.</summary>
    /// <param name="key">The setting's key.</param>
    /// <param name="fallback">The value when the key is not set.</param>
    /// <returns>The value, or <paramref name="fallback"/>.</returns>
    public string GetString(string key, string fallback) => _values.TryGetValue(key, out var v) ? v : fallback;

    /// <summary>Reads a required text value.</summary>
    /// <param name="key">The setting's key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="PluginSettingsException">The key is not set.</exception>
    public string GetRequiredString(string key) =>
        _values.TryGetValue(key, out var v) && v.Length > 0
            ? v
            : throw new PluginSettingsException(PluginName, key, "is required but was not set");

    /// <summary>Reads a finite number (invariant culture).</summary>
    /// <param name="key">The setting's key.</param>
    /// <param name="fallback">The value when the key is not set.</param>
    /// <returns>The value, or <paramref name="fallback"/>.</returns>
    /// <exception cref="PluginSettingsException">The value is not a finite number.</exception>
    public double GetDouble(string key, double fallback)
    {
        if (!_values.TryGetValue(key, out var text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new PluginSettingsException(PluginName, key, $"must be a finite number, got '{text}'");
    }

    /// <summary>Reads an integer (invariant culture).</summary>
    /// <param name="key">The setting's key.</param>
    /// <param name="fallback">The value when the key is not set.</param>
    /// <returns>The value, or <paramref name="fallback"/>.</returns>
    /// <exception cref="PluginSettingsException">The value is not an integer.</exception>
    public int GetInt(string key, int fallback)
    {
        if (!_values.TryGetValue(key, out var text)) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PluginSettingsException(PluginName, key, $"must be an integer, got '{text}'");
    }
}

/// <summary>A plugin setting is missing or malformed.</summary>
public sealed class PluginSettingsException : Exception
{
    /// <summary>Creates the error for one setting of one plugin.</summary>
    /// <param name="pluginName">The plugin whose setting is wrong.</param>
    /// <param name="key">The setting's key.</param>
    /// <param name="problem">What is wrong, phrased to follow the key.</param>
    public PluginSettingsException(string pluginName, string key, string problem)
        : base($"Plugin '{pluginName}': setting '{key}' {problem}.")
    {
        PluginName = pluginName;
        Key = key;
    }

    /// <summary>The plugin whose setting is wrong.</summary>
    public string PluginName { get; }

    /// <summary>The setting's key.</summary>
    public string Key { get; }
}
