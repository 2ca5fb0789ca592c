using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Harness.Catalog;

/// <summary>Scans the plugin directories the harness is configured with, plus any a command or experiment adds.</summary>
public sealed class PluginCatalogProvider(IOptions<HarnessOptions> options, ILogger<PluginCatalog> logger)
{
    public PluginCatalog Scan(IEnumerable<string> extraDirectories) =>
        PluginCatalog.Scan(options.Value.AllPluginDirectories(extraDirectories), logger);
}
