using Microsoft.Extensions.Hosting;

namespace Harness.Hosting;

/// <summary>
/// The host's lifetime for a command line: no signal handling of its own (the host's default takes SIGTERM and SIGINT
/// and waits for the host to stop, which a command never asks for), so <see cref="StopSignals"/> alone decides.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
