namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// Tests that run libtorch share one collection and never run in parallel: libtorch's global RNG and its
/// thread pool are per process, and two training loops at once on two cores slow each other badly.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
