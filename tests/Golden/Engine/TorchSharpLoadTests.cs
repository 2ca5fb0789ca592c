using System.IO.Compression;
using System.Reflection;
using System.Text;
using Harness.Tests.Golden.Fixtures;
using TorchSharp;

namespace Harness.Tests.Golden.Engine;

/// <summary>
/// TorchSharp loads from this build's output (on CI, a clean build), where the libstdc++ fix of
/// Directory.Build.targets edited the output's copy of libLibTorchSharp.so and nothing else.
/// </summary>
[Collection(TorchCollection.Name)]
public class TorchSharpLoadTests
{
    private const string Native = "runtimes/linux-x64/native/libLibTorchSharp.so";

    [Fact]
    public void Torch_runs_from_the_build_output()
    {
        Assert.Equal(6f, torch.arange(4).sum().item<long>());
        Assert.Equal("2.10.0.0", torch.__version__);
    }

    [Fact]
    public void Plugins_carry_no_torchsharp_of_their_own_and_share_the_hosts()
    {
        var catalog = Harness.Catalog.PluginCatalog.Scan(new Harness.Catalog.HarnessOptions().AllPluginDirectories([]));
        var tinyGpt = catalog.Find(Harness.Catalog.PluginKind.Policy, "tiny-gpt");
        var folder = Path.GetDirectoryName(tinyGpt.File)!;

        Assert.DoesNotContain(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories),
            f => Path.GetFileName(f).Contains("torch", StringComparison.OrdinalIgnoreCase));
        var policy = Harness.Catalog.PluginCatalog.Create<Harness.Abstractions.ITrainablePolicy>(tinyGpt);
        Assert.Same(typeof(torch.nn.Module).Assembly, policy.Model.GetType().BaseType!.BaseType!.Assembly);
    }

    [Fact]
    public void Only_the_output_copy_is_patched_and_only_where_libstdcxx_lacks_the_version()
    {
        Assert.True(OperatingSystem.IsLinux(), "the libstdc++ fix concerns Linux builds");
        var output = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Native));
        var cachePath = Path.Combine(PackageFolder(), Native);
        var cache = File.ReadAllBytes(cachePath);
        var pristine = Pristine(Native);

        // The package cache is never edited.
        Assert.Equal(pristine, cache);
        var differences = Enumerable.Range(0, output.Length).Where(i => output[i] != cache[i]).ToArray();
        if (SystemLibstdcxxHas("GLIBCXX_3.4.32"))
        {
            Assert.Empty(differences);
            return;
        }
        // One byte differs: the low byte of a vna_flags field, now VER_FLG_WEAK (2). Different bytes also mean
        // the output file is not a hard link into the cache.
        Assert.Equal(output.Length, cache.Length);
        var at = Assert.Single(differences);
        Assert.Equal(0, cache[at]);
        Assert.Equal(2, output[at]);
    }

    private static bool SystemLibstdcxxHas(string version)
    {
        var library = new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib" }
            .Select(d => Path.Combine(d, "libstdc++.so.6")).First(File.Exists);
        return File.ReadAllBytes(library).AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }

    private static string PackageFolder()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        return Path.Combine(root, "torchsharp", version);
    }

    /// <summary>The file as the package shipped it, read from the .nupkg itself.</summary>
    private static byte[] Pristine(string entry)
    {
        var package = Directory.EnumerateFiles(PackageFolder(), "*.nupkg").Single();
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(entry)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
