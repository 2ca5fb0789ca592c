using System.ComponentModel;
using System.Text.Json.Serialization;
using Harness.Core;

namespace Harness.Experiments;

/// <summary>The learning rate over a run: optional linear warm-up, then constant or decaying to 0.</summary>
[TypeConverter(typeof(VariantConverter<LearningRateSchedule>)), JsonConverter(typeof(VariantJsonConverter))]
public enum LearningRateSchedule { Constant, Linear, Cosine }
