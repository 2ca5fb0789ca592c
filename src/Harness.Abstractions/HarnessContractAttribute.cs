namespace Harness.Abstractions;

/// <summary>
/// Marks an assembly as a harness plugin assembly and records the contract version it was built against.
/// </summary>
/// <remarks>
/// Write <c>[assembly: HarnessContract(ContractVersion.Current)]</c>: the constant is copied into the plugin
/// when it is compiled, so it records the contract it was built against, not the one it later runs with.
/// The host reads it before loading the assembly and refuses incompatible plugins.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class HarnessContractAttribute : Attribute
{
    /// <summary>Declares the contract version this plugin assembly was built against.</summary>
    /// <param name="version">The contract version, <c>"Major.Minor"</c>; normally <see cref="ContractVersion.Current"/>.</param>
    public HarnessContractAttribute(string version) => Version = version;

    /// <summary>The contract version this plugin assembly was built against.</summary>
    public string Version { get; }
}
