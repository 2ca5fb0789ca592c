using System.Net;

namespace Harness.Serving;

/// <summary>How the service listens.</summary>
/// <param name="Urls">Kestrel's addresses, e.g. <c>http://127.0.0.1:8000</c> (port 0: any free port).</param>
/// <param name="Token">The bearer token every request must carry; required on any address but loopback.</param>
public sealed record ServeOptions(IReadOnlyList<string> Urls, string? Token, long MaxBodyBytes, TimeSpan ShutdownTimeout)
{
    /// <summary>The environment variable a token may come from instead of <c>--token</c>.</summary>
    public const string TokenVariable = "HARNESS_SERVE_TOKEN";

    /// <summary>The addresses that are not loopback (where a token is required).</summary>
    public IReadOnlyList<string> Exposed => [.. Urls.Where(u => !IsLoopback(u))];

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
