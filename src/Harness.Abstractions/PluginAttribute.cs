namespace Harness.Abstractions;

/// <summary>
/// Names a plugin type. Experiment configs refer to plugins by this name; the kind of plugin is given by
/// the contract interface the type implements (<see cref="IReward"/>, <see cref="IDetector"/>,
/// <see cref="IFixStrategy"/> or <see cref="IPolicy"/>).
/// </summary>
/// <remarks>
/// A plugin type is public, not abstract, and has a public constructor that takes either nothing or one
/// <see cref="PluginSettings"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PluginAttribute : Attribute
{
    /// <summary>Names a plugin.</summary>
    /// <param name="name">The name configs use, unique within its kind, e.g. <c>"accuracy"</c>.</param>
    public PluginAttribute(string name) => Name = name;

    /// <summary>The name configs use, unique within its kind.</summary>
    public string Name { get; }

    /// <summary>One line on what the plugin does, shown by <c>harness plugins</c>.</summary>
    public string Description { get; init; } = "";

    /// <summary>
    /// The settings whose values are file or folder paths (contract 1.4), e.g. <c>["weights"]</c>. The host makes a
    /// relative one absolute, against the working directory, before the plugin sees it and before the run directory
    /// records it, so a run resumes, regresses and reports from any directory.
    /// </summary>
    public string[] PathSettings { get; init; } = [];
}
