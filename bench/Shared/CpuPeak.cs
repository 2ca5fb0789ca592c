using System.Globalization;

namespace Harness.Bench;

/// <summary>
/// This CPU's theoretical FP32 peak: cores × clock × FP32 lanes of one FMA unit × 2 (a fused multiply-add is
/// two FLOPs) × 2 (two FMA units per core, as on current x86 server cores). Read from /proc/cpuinfo. AMD's
/// Zen 4 (family 25) runs AVX-512 on 256-bit units, so there an FMA unit has 8 lanes, not 16.
/// </summary>
public sealed record CpuPeak(string Model, int Cores, double GHz, int Lanes, string Isa)
{
    public double GFlops => Cores * GHz * Lanes * 2 * 2;

    public string Formula => FormattableString.Invariant(
        $"{Cores} cores × {GHz:F2} GHz × {Lanes} FP32 lanes per FMA unit ({Isa}) × 2 (FMA) × 2 FMA units = {GFlops:F1} GFLOP/s");

    public static CpuPeak Detect(int cores)
    {
        var lines = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
        var flags = Field("flags").Split(' ');
        var halfWidthAvx512 = Field("vendor_id") == "AuthenticAMD" && Field("cpu family") == "25";
        var (lanes, isa) = flags.Contains("avx512f") ? (halfWidthAvx512 ? 8 : 16, halfWidthAvx512 ? "AVX-512 on 256-bit units" : "AVX-512")
            : flags.Contains("avx2") ? (8, "AVX2") : (4, "SSE");
        var maxKhz = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
        var ghz = File.Exists(maxKhz)
            ? double.Parse(File.ReadAllText(maxKhz).Trim(), CultureInfo.InvariantCulture) / 1e6
            : double.TryParse(Field("cpu MHz"), NumberStyles.Float, CultureInfo.InvariantCulture, out var mhz) ? mhz / 1000 : 0;
        return new CpuPeak(Field("model name"), cores, ghz, lanes, isa);
    }
}
