namespace Harness.Catalog;

/// <summary>One plugin found in a plugin folder: what it is and exactly which file it came from.</summary>
/// <param name="Kind">The contract it implements.</param>
/// <param name="Name">The name configs use.</param>
/// <param name="Description">One line from its attribute.</param>
/// <param name="Type">The loaded plugin type.</param>
/// <param name="AssemblyName">The plugin assembly's simple name.</param>
/// <param name="Version">The assembly's informational version (or assembly version).</param>
/// <param name="ContractVersion">The contract version the assembly was built against.</param>
/// <param name="File">Full path of the assembly file.</param>
/// <param name="Sha256">SHA-256 of the assembly file, lowercase hex.</param>
public sealed record PluginDescriptor(
    PluginKind Kind,
    string Name,
    string Description,
    Type Type,
    string AssemblyName,
    string Version,
    string ContractVersion,
    string File,
    string Sha256)
{
    /// <summary>The settings the plugin declares as paths (<see cref="Harness.Abstractions.PluginAttribute.PathSettings"/>).</summary>
    public IReadOnlyList<string> PathSettings { get; init; } = [];
}
