namespace Harness.Experiments;

/// <summary>Where an experiment's prompts come from.</summary>
public enum TaskSource { Arithmetic, File }
