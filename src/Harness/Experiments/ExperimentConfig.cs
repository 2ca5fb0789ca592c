namespace Harness.Experiments;

/// <summary>An experiment as its JSON file describes it. Keys are camelCase; paths are relative to the working directory.</summary>
public sealed class ExperimentConfig
{
    /// <summary>A short name for the experiment, used in run directory names.</summary>
    public string Name { get; set; } = "";

    /// <summary>Seed of every random choice in the run.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Extra directories to search for plugins, besides the harness's own.</summary>
    public List<string> PluginDirectories { get; set; } = [];

    /// <summary>The policy being trained.</summary>
    public PluginReference? Policy { get; set; }

    /// <summary>The reward plugins; the scalar reward is the weighted sum of their terms.</summary>
    public List<RewardReference> Rewards { get; set; } = [];

    /// <summary>Detectors run on every step's completions.</summary>
    public List<PluginReference> Detectors { get; set; } = [];

    /// <summary>Fix strategies that may adjust training after each step.</summary>
    public List<PluginReference> Fixes { get; set; } = [];

    /// <summary>The GRPO algorithm's settings.</summary>
    public GrpoConfig Grpo { get; set; } = new();
}

/// <summary>A plugin named in a config, with its settings.</summary>
public class PluginReference
{
    /// <summary>The plugin's name, as <c>harness plugins</c> lists it.</summary>
    public string Name { get; set; } = "";

    /// <summary>Settings handed to the plugin as text.</summary>
    public Dictionary<string, string> Settings { get; set; } = [];
}

/// <summary>A reward plugin and the weight of every term it produces.</summary>
public sealed class RewardReference : PluginReference
{
    public double Weight { get; set; } = 1.0;
}

/// <summary>GRPO settings; variants go by the names verl and TRL use.</summary>
public sealed class GrpoConfig
{
    /// <summary>Completions sampled per prompt (G).</summary>
    public int GroupSize { get; set; } = 8;

    /// <summary><c>group</c>, <c>batch</c> or <c>none</c>.</summary>
    public string AdvantageScale { get; set; } = "group";

    /// <summary><c>population</c> or <c>sample</c>.</summary>
    public string Std { get; set; } = "population";

    /// <summary><c>seq-mean-token-mean</c>, <c>token-mean</c>, <c>seq-mean-token-sum</c> or <c>seq-mean-token-sum-norm</c>.</summary>
    public string LossAggregation { get; set; } = "token-mean";
}
