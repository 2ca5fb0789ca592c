using System.Reflection;
using System.Security.Cryptography;
using Harness.Abstractions;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Catalog;

/// <summary>
/// Every plugin found in the configured plugin directories. Each plugin assembly is loaded in its own
/// load context that shares the contract assembly and TorchSharp with the host, so a plugin's own dependencies never
/// clash with the host's or another plugin's. Plugins are resolved by kind and name.
/// </summary>
public sealed class PluginCatalog
{
    private PluginCatalog(IReadOnlyList<PluginDescriptor> plugins, IReadOnlyList<string> warnings, IReadOnlyList<string> directories)
    {
        Plugins = plugins;
        Warnings = warnings;
        Directories = directories;
    }

    /// <summary>Every plugin found, ordered by kind, then name.</summary>
    public IReadOnlyList<PluginDescriptor> Plugins { get; }

    /// <summary>Files that were skipped, and why (also logged).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The directories that were scanned, as full paths.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>
    /// Scans each directory and its immediate subdirectories (one folder per plugin) for plugin assemblies.
    /// </summary>
    /// <exception cref="HarnessException">A directory is missing, a plugin was built against an incompatible
    /// contract, or two plugins of one kind share a name.</exception>
    public static PluginCatalog Scan(IEnumerable<string> directories, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var roots = directories.Select(Path.GetFullPath).Distinct().ToArray();
        var warnings = new List<string>();
        var plugins = new List<PluginDescriptor>();
        foreach (var file in CandidateFiles(roots))
        {
            byte[] image;
            try { image = File.ReadAllBytes(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn($"Skipping '{file}': it cannot be read ({e.Message}).");
                continue;
            }
            var inspection = PluginAssemblyInspector.Inspect(image);
            if (inspection.Problem is not null)
            {
                Warn($"Skipping '{file}': {inspection.Problem}.");
                continue;
            }
            if (!inspection.IsPlugin) continue;
            if (!ContractVersion.IsCompatible(inspection.ContractVersion!))
                throw new HarnessException(
                    $"Plugin assembly '{file}' was built against contract version '{inspection.ContractVersion}', but this harness " +
                    $"(contract {ContractVersion.Current}) accepts plugins built against {ContractVersion.AcceptedRange}. " +
                    $"Rebuild the plugin against Harness.Abstractions {ContractVersion.Current}.");
            plugins.AddRange(Load(file, Convert.ToHexStringLower(SHA256.HashData(image)), inspection.ContractVersion!, Warn));
        }
        RefuseDuplicates(plugins);
        return new PluginCatalog(plugins.OrderBy(p => p.Kind).ThenBy(p => p.Name, StringComparer.Ordinal).ToArray(), warnings, roots);

        void Warn(string message)
        {
            warnings.Add(message);
            logger.LogWarning("{Message}", message);
        }
    }

    /// <summary>Finds a plugin by kind and name (case-insensitive).</summary>
    /// <exception cref="HarnessException">No such plugin; the message lists the names found.</exception>
    public PluginDescriptor Find(PluginKind kind, string name) => Find(name, kind);

    /// <summary>Finds a plugin by name among several kinds, the first kind first.</summary>
    /// <exception cref="HarnessException">No such plugin; the message lists the names found.</exception>
    public PluginDescriptor Find(string name, params PluginKind[] kinds)
    {
        foreach (var kind in kinds)
            if (Plugins.FirstOrDefault(p => p.Kind == kind && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { } found)
                return found;
        var label = string.Join(" or ", kinds.Select(PluginKinds.Label));
        var names = Plugins.Where(p => kinds.Contains(p.Kind)).Select(p => p.Name).ToArray();
        throw new HarnessException(
            $"No {label} plugin named '{name}'. {char.ToUpperInvariant(label[0])}{label[1..]} plugins found: " +
            $"{(names.Length == 0 ? "none" : string.Join(", ", names))} (searched {string.Join(", ", Directories)}).");
    }

    /// <summary>Creates a plugin instance with its settings.</summary>
    /// <exception cref="HarnessException">No such plugin, or it refused its settings or failed to start.</exception>
    public T Create<T>(PluginKind kind, string name, IReadOnlyDictionary<string, string>? settings = null) where T : class =>
        Create<T>(Find(kind, name), settings);

    /// <summary>Creates an instance of a plugin already found, with its settings.</summary>
    /// <exception cref="HarnessException">It refused its settings or failed to start.</exception>
    public static T Create<T>(PluginDescriptor plugin, IReadOnlyDictionary<string, string>? settings = null) where T : class
    {
        var withSettings = plugin.Type.GetConstructor([typeof(PluginSettings)]);
        var plain = plugin.Type.GetConstructor(Type.EmptyTypes);
        if (withSettings is null && plain is null)
            throw new HarnessException($"Plugin '{plugin.Name}' ({plugin.File}): {plugin.Type.FullName} has no public constructor taking PluginSettings or nothing.");
        if (withSettings is null && settings is { Count: > 0 })
            throw new HarnessException($"Plugin '{plugin.Name}' takes no settings, but the config gives: {string.Join(", ", settings.Keys)}.");
        try
        {
            return (T)(withSettings is not null
                ? withSettings.Invoke([new PluginSettings(plugin.Name, settings)])
                : plain!.Invoke(null));
        }
        catch (TargetInvocationException e) when (e.InnerException is PluginSettingsException inner)
        {
            throw new HarnessException(inner.Message, inner);
        }
        catch (TargetInvocationException e)
        {
            var inner = e.InnerException ?? e;
            throw new HarnessException($"Plugin '{plugin.Name}' ({plugin.File}) failed to start: {inner.Message}", inner);
        }
    }

    /// <summary>Creates an instance of a plugin already found, as a handle whose every call is guarded by <paramref name="timeLimit"/>.</summary>
    /// <exception cref="HarnessException">It refused its settings or failed to start.</exception>
    public static PluginHandle<T> Open<T>(PluginDescriptor plugin, IReadOnlyDictionary<string, string>? settings, TimeSpan timeLimit) where T : class =>
        new(plugin.Kind, plugin.Name, Create<T>(plugin, settings), timeLimit);

    private static IEnumerable<string> CandidateFiles(IEnumerable<string> roots)
    {
        foreach (var root in roots)
            if (!Directory.Exists(root))
                throw new HarnessException($"Plugin directory '{root}' does not exist.");
        return roots
            .SelectMany(root => Directory.EnumerateFiles(root, "*.dll")
                .Concat(Directory.EnumerateDirectories(root).SelectMany(d => Directory.EnumerateFiles(d, "*.dll"))))
            .Select(Path.GetFullPath)
            .Distinct()
            .Order(StringComparer.Ordinal);
    }

    private static IEnumerable<PluginDescriptor> Load(string file, string sha256, string contractVersion, Action<string> warn)
    {
        Assembly assembly;
        Type[] types;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(file, [.. PluginKinds.SharedTypes], config => config.PreferSharedTypes = true);
            assembly = loader.LoadDefaultAssembly();
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is FileLoadException or FileNotFoundException or BadImageFormatException or ReflectionTypeLoadException or TypeLoadException)
        {
            warn($"Skipping plugin assembly '{file}': it could not be loaded ({e.Message}).");
            return [];
        }

        var name = assembly.GetName();
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? name.Version?.ToString() ?? "";
        var found = new List<PluginDescriptor>();
        foreach (var type in types)
        {
            if (type.GetCustomAttribute<PluginAttribute>() is not { } attribute) continue;
            var kinds = PluginKinds.Contracts.Where(c => c.Value.IsAssignableFrom(type)).Select(c => c.Key).ToArray();
            if (kinds.Length == 0 || type.IsAbstract)
            {
                warn($"Skipping {type.FullName} in '{file}': it has [Plugin(\"{attribute.Name}\")] but is not a concrete {string.Join(", ", PluginKinds.Contracts.Values.Select(t => t.Name))}.");
                continue;
            }
            found.AddRange(kinds.Select(kind => new PluginDescriptor(
                kind, attribute.Name, attribute.Description, type, name.Name ?? "", version, contractVersion, file, sha256)
            { PathSettings = attribute.PathSettings ?? [] }));
        }
        return found;
    }

    private static void RefuseDuplicates(IEnumerable<PluginDescriptor> plugins)
    {
        var clash = plugins
            .GroupBy(p => (p.Kind, Name: p.Name.ToLowerInvariant()))
            .FirstOrDefault(g => g.Count() > 1);
        if (clash is null) return;
        throw new HarnessException(
            $"Two {PluginKinds.Label(clash.Key.Kind)} plugins are named '{clash.First().Name}': " +
            string.Join(" and ", clash.Select(p => $"{p.Type.FullName} in '{p.File}'")) + ". Rename one or remove its folder.");
    }
}
