using System.ComponentModel;
using Harness.Core;

namespace Harness.Experiments;

/// <summary>The learning rate over a run: optional linear warm-up, then constant or decaying to 0.</summary>
[TypeConverter(typeof(VariantConverter<LearningRateSchedule>))]
public enum LearningRateSchedule { Constant, Linear, Cosine }
