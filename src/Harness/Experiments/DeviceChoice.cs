using System.ComponentModel;
using System.Text.Json.Serialization;
using Harness.Core;

namespace Harness.Experiments;

/// <summary>Where training runs: <c>auto</c> picks CUDA when libtorch sees a GPU, else the CPU.</summary>
[TypeConverter(typeof(VariantConverter<DeviceChoice>)), JsonConverter(typeof(VariantJsonConverter))]
public enum DeviceChoice { Auto, Cpu, Cuda }
