namespace Harness.Catalog;

/// <summary>
/// A plugin call went wrong: it threw, ran past its time limit, or returned something the contract forbids
/// (null, the wrong number of values, a value out of range). The message names the plugin and the call.
/// </summary>
public sealed class PluginCallException(PluginKind kind, string plugin, string call, string problem, Exception? inner = null)
    : HarnessException($"{Capitalized(PluginKinds.Label(kind))} plugin '{plugin}', {call}: {problem}.", inner)
{
    public PluginKind Kind { get; } = kind;

    public string Plugin { get; } = plugin;

    /// <summary>The call and its moment, e.g. <c>Detect at step 3</c>.</summary>
    public string Call { get; } = call;

    private static string Capitalized(string label) => char.ToUpperInvariant(label[0]) + label[1..];
}
