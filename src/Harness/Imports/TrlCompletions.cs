using Harness.Runs;
using Parquet;
using Parquet.Schema;

namespace Harness.Imports;

/// <summary>
/// TRL's logged completions (<c>log_completions</c>, since TRL 0.28): <c>&lt;output_dir&gt;/completions/completions_NNNNN.parquet</c>,
/// one row per completion with <c>step</c>, <c>prompt</c>, <c>completion</c>, one column per reward function (named by the
/// function) and <c>advantage</c> (trl/trainer/grpo_trainer.py, <c>log()</c>), read with Parquet.Net one row group at a time.
/// </summary>
public static class TrlCompletions
{
    private static readonly string[] Required = ["step", "prompt", "completion"];

    /// <summary>An output folder's completion files, in step order; none when it has no completions/ folder.</summary>
    public static IReadOnlyList<string> Files(string outputDir)
    {
        var folder = Path.Combine(outputDir, "completions");
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, "completions_*.parquet").Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>The completions of TRL's parquet files, streamed; a missing column is an error naming the file and the column.</summary>
    public static IEnumerable<CompletionRecord> Read(IEnumerable<string> files)
    {
        foreach (var file in files)
            foreach (var record in ReadFile(file))
                yield return record;
    }

    private static IEnumerable<CompletionRecord> ReadFile(string file)
    {
        using var stream = File.OpenRead(file);
        var reader = Open(stream, file);
        try
        {
            var fields = reader.Schema.GetDataFields();
            var missing = Required.Where(r => fields.All(f => f.Name != r)).ToArray();
            if (missing.Length > 0)
                throw new HarnessException($"{file}: no column {string.Join(", ", missing.Select(m => $"'{m}'"))}; TRL's completions files have step, prompt, completion, " +
                    $"one column per reward and advantage (found: {string.Join(", ", fields.Select(f => f.Name))}).");
            var field = fields.ToDictionary(f => f.Name);
            var rewards = fields.Where(f => !Required.Contains(f.Name) && f.Name != "advantage" && IsNumeric(f)).Select(f => f.Name).ToArray();
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rows = reader.OpenRowGroupReader(group);
                var (steps, prompts, texts) = (Numbers(rows, field["step"], file), Strings(rows, field["prompt"]), Strings(rows, field["completion"]));
                var terms = rewards.ToDictionary(r => r, r => Numbers(rows, field[r], file));
                var advantages = field.TryGetValue("advantage", out var advantage) && IsNumeric(advantage) ? Numbers(rows, advantage, file) : null;
                for (var i = 0; i < steps.Length; i++)
                {
                    var text = texts[i] ?? "";
                    var values = terms.Where(t => t.Value[i] is { } v && double.IsFinite(v)).ToDictionary(t => t.Key, t => t.Value[i]!.Value);
                    yield return new CompletionRecord((int)(steps[i] ?? 0), 0, prompts[i] ?? "", text, text.Length, false, values.Values.Sum(), values,
                        advantages?[i] is { } adv && double.IsFinite(adv) ? adv : null, []);
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static ParquetReader Open(Stream stream, string file)
    {
        try
        {
            return ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new HarnessException($"{file}: not a readable parquet file ({e.Message}).", e);
        }
    }

    private static string?[] Strings(ParquetRowGroupReader rows, DataField field)
    {
        var values = new string?[rows.RowCount];
        rows.ReadAsync(field, values.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
        return values;
    }

    private static double?[] Numbers(ParquetRowGroupReader rows, DataField field, string file)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type == typeof(double) ? Read<double>(rows, field, v => v)
            : type == typeof(float) ? Read<float>(rows, field, v => v)
            : type == typeof(long) ? Read<long>(rows, field, v => v)
            : type == typeof(int) ? Read<int>(rows, field, v => v)
            : throw new HarnessException($"{file}: column '{field.Name}' holds {type.Name}, not numbers.");
    }

    private static double?[] Read<T>(ParquetRowGroupReader rows, DataField field, Func<T, double> number) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows.RowCount];
            rows.ReadAsync(field, nullable.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
            return [.. nullable.Select(v => v is { } x ? number(x) : (double?)null)];
        }
        var values = new T[rows.RowCount];
        rows.ReadAsync(field, values.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
        return [.. values.Select(v => (double?)number(v))];
    }

    private static bool IsNumeric(DataField field) =>
        (Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType) is var t && (t == typeof(double) || t == typeof(float) || t == typeof(long) || t == typeof(int));
}
