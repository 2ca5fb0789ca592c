namespace Harness.Experiments;

/// <summary>Where training runs: <c>auto</c> picks CUDA when libtorch sees a GPU, else the CPU.</summary>
public enum DeviceChoice { Auto, Cpu, Cuda }
