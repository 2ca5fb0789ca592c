using Harness.Experiments;
using TorchSharp;

namespace Harness.Training;

/// <summary>Chooses the libtorch device and thread count, refusing CUDA where there is none (never a silent fallback).</summary>
public static class TorchDevices
{
    public static torch.Device Resolve(DeviceChoice choice)
    {
        var cuda = torch.cuda.is_available();
        return choice switch
        {
            DeviceChoice.Cpu => torch.CPU,
            DeviceChoice.Cuda when cuda => torch.CUDA,
            DeviceChoice.Cuda => throw new HarnessException(
                "Device 'cuda' was asked for, but libtorch sees no CUDA device. This harness was built with TorchBackend=" + (Core.BuildInfo.Metadata("TorchBackend") ?? "cpu") +
                "; on a machine with an NVIDIA GPU, build with -p:TorchBackend=cuda, or use --device cpu."),
            _ => cuda ? torch.CUDA : torch.CPU,
        };
    }

    /// <summary>Sets libtorch's intra-op threads (0: one per core) and returns the number used.</summary>
    public static int UseThreads(int requested)
    {
        var threads = requested > 0 ? requested : Environment.ProcessorCount;
        torch.set_num_threads(threads);
        return threads;
    }
}
