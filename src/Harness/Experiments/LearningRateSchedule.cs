namespace Harness.Experiments;

/// <summary>The learning rate over a run: optional linear warm-up, then constant or decaying to 0.</summary>
public enum LearningRateSchedule { Constant, Linear, Cosine }
