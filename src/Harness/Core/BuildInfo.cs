using System.Reflection;

namespace Harness.Core;

/// <summary>Facts the build stamped into the harness assembly (<c>AssemblyMetadata</c> items in Harness.csproj).</summary>
public static class BuildInfo
{
    public static string? Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
