using System.ComponentModel;
using Harness.Experiments;

namespace Harness.Commands;

/// <summary>Settings of the commands that read an experiment: the file, its <c>--set</c> overrides and plugin folders.</summary>
public class ExperimentSettings : PluginDirectorySettings
{
    [CommandArgument(0, "<experiment>"), Description("The experiment's JSON file.")] public string Experiment { get; init; } = "";
    [CommandOption("--set <KEY=VALUE>"), Description("Override a config value, e.g. grpo.beta=0.04 (repeatable).")] public string[] Overrides { get; init; } = [];

    /// <summary>The experiment resolved with these settings.</summary>
    public ExperimentConfig Load() => Load(Experiment, Overrides, Directories);

    /// <summary>An experiment resolved with command-line overrides and extra plugin folders.</summary>
    public static ExperimentConfig Load(string experiment, IEnumerable<string> overrides, IEnumerable<string> pluginDirectories)
    {
        var config = ExperimentLoader.Load(experiment, overrides);
        config.PluginDirectories.AddRange(pluginDirectories.Select(Path.GetFullPath));
        return config;
    }
}
