using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Harness.Abstractions;

namespace Harness.Catalog;

/// <summary>
/// Reads a DLL's metadata without loading it: is it a .NET assembly, and does it declare itself a harness
/// plugin (<see cref="HarnessContractAttribute"/>) and against which contract version. Reading instead of
/// loading keeps dependency DLLs and foreign files out of the process.
/// </summary>
public static class PluginAssemblyInspector
{
    /// <summary>The outcome of inspecting one file.</summary>
    /// <param name="IsPlugin">The assembly declares a contract version.</param>
    /// <param name="ContractVersion">The declared version, when it is a plugin.</param>
    /// <param name="Problem">Why the file could not be read as a .NET assembly; null when it could.</param>
    public sealed record Result(bool IsPlugin, string? ContractVersion, string? Problem);

    /// <param name="image">The file's bytes (read once by the caller, which also hashes them).</param>
    public static Result Inspect(byte[] image)
    {
        try
        {
            using var pe = new PEReader(new MemoryStream(image, writable: false));
            if (!pe.HasMetadata) return new Result(false, null, "it is not a .NET assembly (no CLI metadata)");
            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) return new Result(false, null, "it is a .NET module, not an assembly");
            var version = DeclaredContract(reader);
            return new Result(version is not null, version, null);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            return new Result(false, null, $"it cannot be read as a .NET assembly ({e.Message})");
        }
    }

    private static string? DeclaredContract(MetadataReader reader)
    {
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (!IsContractAttribute(reader, attribute)) continue;
            var blob = reader.GetBlobReader(attribute.Value);
            // Custom attribute blob: prolog 0x0001, then the constructor's string argument.
            return blob.ReadUInt16() == 1 ? blob.ReadSerializedString() ?? "" : "";
        }
        return null;
    }

    private static bool IsContractAttribute(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type;
        if (attribute.Constructor.Kind == HandleKind.MemberReference)
            type = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        else if (attribute.Constructor.Kind == HandleKind.MethodDefinition)
            type = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
        else return false;

        var (ns, name) = type.Kind switch
        {
            HandleKind.TypeReference => (reader.GetTypeReference((TypeReferenceHandle)type).Namespace, reader.GetTypeReference((TypeReferenceHandle)type).Name),
            HandleKind.TypeDefinition => (reader.GetTypeDefinition((TypeDefinitionHandle)type).Namespace, reader.GetTypeDefinition((TypeDefinitionHandle)type).Name),
            _ => (default(StringHandle), default(StringHandle)),
        };
        return !ns.IsNil
            && reader.StringComparer.Equals(ns, typeof(HarnessContractAttribute).Namespace!)
            && reader.StringComparer.Equals(name, nameof(HarnessContractAttribute));
    }
}
