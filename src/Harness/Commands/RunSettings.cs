using System.ComponentModel;

namespace Harness.Commands;

/// <summary><c>harness run &lt;experiment.json&gt; [--steps N] [--out DIR] [--device D] [--set key=value]... [--plugins DIR]... [--locked manifest.json]</c></summary>
public sealed class RunSettings : RunWritingSettings
{
    [CommandArgument(0, "<experiment>"), Description("The experiment's JSON file.")] public string Experiment { get; init; } = "";
    [CommandOption("--set <KEY=VALUE>"), Description("Override a config value, e.g. grpo.beta=0.04 (repeatable).")] public string[] Overrides { get; init; } = [];
    [CommandOption("--out <DIR>"), Description("The run directory to create (default: runs/<name>-<time>).")] public string? Out { get; init; }
    [CommandOption("--locked <MANIFEST>"), Description("Refuse to run unless every plugin is the file this manifest.json records (same SHA-256).")] public string? Locked { get; init; }

}
