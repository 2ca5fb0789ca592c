using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core;

namespace Harness.Sweeps;

/// <summary>One variant of a sweep: its name and the <c>--set</c> overrides that make it from the experiment.</summary>
public sealed record SweepVariant(string Name, IReadOnlyList<string> Set)
{
    /// <summary>The variant's folder name under <c>runs/</c>: its name with anything but letters, digits, <c>.</c>, <c>_</c> and <c>-</c> made <c>-</c>.</summary>
    [JsonIgnore]
    public string Folder => new([.. Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);
}

/// <summary>One run of a sweep: a variant with a seed, in its own ordinary run directory.</summary>
/// <param name="Directory">The run directory, relative to the sweep's folder.</param>
public sealed record SweepRun(SweepVariant Variant, long Seed, string Directory);

/// <summary>
/// What a sweep runs: an experiment, overrides shared by every run, the variants, and the seeds each variant runs
/// with. Written as <c>sweep.json</c> in the sweep's folder before the first run starts, so a sweep run again into the same
/// folder checks it is the same sweep and goes on where it stopped.
/// </summary>
/// <param name="Experiment">The experiment file, absolute.</param>
public sealed record SweepPlan(string Experiment, IReadOnlyList<string> Set, IReadOnlyList<SweepVariant> Variants, IReadOnlyList<long> Seeds)
{
    public const string FileName = "sweep.json";

    /// <summary>Every run, seed by seed (each seed's variants side by side), so a sweep stopped early has every variant on its first seeds.</summary>
    [JsonIgnore]
    public IReadOnlyList<SweepRun> Runs =>
        [.. Seeds.SelectMany(seed => Variants.Select(v => new SweepRun(v, seed, Path.Combine("runs", v.Folder, $"seed-{seed}"))))];

    /// <summary>Every override of one run: the shared ones, the variant's, then its seed.</summary>
    public IReadOnlyList<string> Overrides(SweepRun run) => [.. Set, .. run.Variant.Set, $"seed={run.Seed}"];

    /// <summary>
    /// The grid: each base variant (the sweep file's, or one unnamed) crossed with every combination of the <c>--vary</c>
    /// values, in the order given.
    /// </summary>
    /// <param name="vary">Each <c>key=a,b,c</c>.</param>
    public static IReadOnlyList<SweepVariant> Grid(IReadOnlyList<SweepVariant> bases, IReadOnlyList<string> vary)
    {
        IEnumerable<SweepVariant> variants = bases.Count > 0 ? bases : [new SweepVariant("", [])];
        foreach (var axis in vary)
        {
            var eq = axis.IndexOf('=');
            var key = eq > 0 ? axis[..eq].Trim() : "";
            var values = eq > 0 ? axis[(eq + 1)..].Split(',').Select(v => v.Trim()).ToArray() : [];
            if (key.Length == 0 || values.Length == 0 || values.Any(v => v.Length == 0))
                throw new HarnessException($"--vary '{axis}' is not of the form key=a,b,c (e.g. grpo.policyLoss=vanilla,gspo).");
            if (values.Distinct().Count() != values.Length) throw new HarnessException($"--vary '{axis}' names a value twice.");
            variants = variants.SelectMany(v => values.Select(value => new SweepVariant(
                v.Name.Length == 0 ? $"{key}={value}" : $"{v.Name}, {key}={value}", [.. v.Set, $"{key}={value}"]))).ToArray();
        }
        var list = variants.ToArray();
        if (list.Length == 1 && list[0].Name.Length == 0) list = [list[0] with { Name = "base" }];
        if (list.GroupBy(v => v.Folder).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new HarnessException($"Variants {string.Join(" and ", clash.Select(v => $"'{v.Name}'"))} would share the folder runs/{clash.Key}: name them apart.");
        return list;
    }

    /// <summary>Writes the plan into <paramref name="folder"/>, or checks that the plan already there is this one.</summary>
    public void WriteOrCheck(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        var text = JsonSerializer.Serialize(this, JsonOutput.Options);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path);
            if (existing.TrimEnd() != text.TrimEnd())
                throw new HarnessException($"{folder} holds another sweep ({path} differs from this command's experiment, variants or seeds); " +
                    "give another --out, or the same arguments to go on with it.");
            return;
        }
        Directory.CreateDirectory(folder);
        AtomicText.Write(path, text + "\n");
    }

    /// <summary>The plan a sweep folder holds.</summary>
    public static SweepPlan Read(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new HarnessException($"'{folder}' is not a sweep: {FileName} is missing.");
        try
        {
            return JsonSerializer.Deserialize<SweepPlan>(File.ReadAllText(path), JsonOutput.Options)
                ?? throw new HarnessException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new HarnessException($"{path}: {e.Message}", e);
        }
    }
}
