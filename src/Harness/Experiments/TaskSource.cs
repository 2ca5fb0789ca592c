using System.ComponentModel;
using Harness.Core;

namespace Harness.Experiments;

/// <summary>Where an experiment's prompts come from.</summary>
[TypeConverter(typeof(VariantConverter<TaskSource>))]
public enum TaskSource { Arithmetic, File }
