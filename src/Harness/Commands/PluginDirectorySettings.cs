using System.ComponentModel;

namespace Harness.Commands;

/// <summary>Settings of every command that finds plugins: extra plugin folders.</summary>
public class PluginDirectorySettings : CommandSettings
{
    [CommandOption("--plugins <DIR>"), Description("Also search this plugin directory (repeatable).")] public string[] Directories { get; init; } = [];
}
