using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Harness.Hosting;

/// <summary>
/// Lets Spectre.Console.Cli register and create its commands through the generic host: commands are
/// added to the host's services, and the host is built and started (validating options) when the
/// command line has been parsed.
/// </summary>
public sealed class HostTypeRegistrar(HostApplicationBuilder builder) : ITypeRegistrar
{
    public void Register(Type service, Type implementation) => builder.Services.AddSingleton(service, implementation);

    public void RegisterInstance(Type service, object implementation) => builder.Services.AddSingleton(service, implementation);

    public void RegisterLazy(Type service, Func<object> factory) => builder.Services.AddSingleton(service, _ => factory());

    public ITypeResolver Build()
    {
        var host = builder.Build();
        host.Start();
        return new HostTypeResolver(host);
    }

    private sealed class HostTypeResolver(IHost host) : ITypeResolver, IDisposable
    {
        public object? Resolve(Type? type) => type is null ? null : host.Services.GetService(type);

        public void Dispose()
        {
            host.StopAsync().GetAwaiter().GetResult();
            host.Dispose();
        }
    }
}
