using Harness.Core;
using Microsoft.Extensions.Options;

namespace Harness.Catalog;

/// <summary>
/// Settings of the harness itself (not of an experiment): section <c>Harness</c> of <c>harness.json</c>
/// beside the executable, or environment variables such as <c>HARNESS_Harness__PluginDirectories__0</c>.
/// </summary>
public sealed class HarnessOptions
{
    public const string Section = "Harness";

    /// <summary>Directories searched for plugins besides the defaults (see <see cref="AllPluginDirectories"/>).</summary>
    public List<string> PluginDirectories { get; set; } = [];

    /// <summary>
    /// Where plugins are looked for, in order: <c>plugins/</c> beside the executable (a published harness),
    /// the plugin directory of the build that made this executable, the configured directories, then
    /// <paramref name="extra"/> (from the command line or the experiment).
    /// </summary>
    public IReadOnlyList<string> AllPluginDirectories(IEnumerable<string> extra)
    {
        var builtIn = BuildInfo.Metadata("HarnessPluginsDir");
        var defaults = new[] { Path.Combine(AppContext.BaseDirectory, "plugins"), builtIn }
            .Where(d => !string.IsNullOrEmpty(d) && Directory.Exists(d))
            .Select(d => d!);
        return defaults.Concat(PluginDirectories).Concat(extra).Select(Path.GetFullPath).Distinct().ToArray();
    }
}

/// <summary>Checked when the host starts: every configured plugin directory must exist.</summary>
public sealed class HarnessOptionsValidator : IValidateOptions<HarnessOptions>
{
    public ValidateOptionsResult Validate(string? name, HarnessOptions options)
    {
        var missing = options.PluginDirectories
            .Select((d, i) => (d, i))
            .Where(x => !Directory.Exists(x.d))
            .Select(x => $"{HarnessOptions.Section}:PluginDirectories:{x.i} '{x.d}' does not exist")
            .ToArray();
        return missing.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(missing);
    }
}
