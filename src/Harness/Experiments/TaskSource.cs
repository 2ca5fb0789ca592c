using System.ComponentModel;
using System.Text.Json.Serialization;
using Harness.Core;

namespace Harness.Experiments;

/// <summary>Where an experiment's prompts come from.</summary>
[TypeConverter(typeof(VariantConverter<TaskSource>)), JsonConverter(typeof(VariantJsonConverter))]
public enum TaskSource { Arithmetic, File }
