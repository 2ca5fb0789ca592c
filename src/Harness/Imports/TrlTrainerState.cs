using System.Globalization;
using System.Text.Json;

namespace Harness.Imports;

/// <summary>
/// A TRL GRPOTrainer run, from transformers' <c>trainer_state.json</c> (written by <c>TrainerState.save_to_json</c>,
/// transformers/trainer_callback.py, into every <c>checkpoint-N/</c> and by <c>save_state</c> into the output
/// directory): <c>log_history</c> is the list of dicts <c>Trainer.log</c> received, each with <c>step</c> and
/// <c>epoch</c>; evaluation entries carry an <c>eval_</c> prefix; the last entry holds the run's totals
/// (<c>train_runtime</c>, …); a metric that was all NaN is written as null.
/// </summary>
public static class TrlTrainerState
{
    public const string FileName = "trainer_state.json";

    /// <summary>The trainer_state.json a path means: the file itself, a checkpoint folder's, or an output folder's newest; null for none.</summary>
    public static string? Find(string path)
    {
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path)) return null;
        var newest = Directory.EnumerateDirectories(path, "checkpoint-*")
            .Select(d => (Dir: d, Step: int.TryParse(Path.GetFileName(d)["checkpoint-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1))
            .Where(c => c.Step >= 0 && File.Exists(Path.Combine(c.Dir, FileName)))
            .OrderByDescending(c => c.Step)
            .Select(c => Path.Combine(c.Dir, FileName))
            .FirstOrDefault();
        // log_history is cumulative: the newest checkpoint, or the state saved at the end, holds every step.
        var top = Path.Combine(path, FileName);
        return File.Exists(top) && (newest is null || File.GetLastWriteTimeUtc(top) >= File.GetLastWriteTimeUtc(newest)) ? top : newest;
    }

    /// <summary>
    /// Whether a file looks like a trainer_state.json by its head: a JSON object with a <c>"log_history"</c> key, which
    /// its sorted keys put near the top. Telling a format never reads a large file whole.
    /// </summary>
    public static bool Looks(string file)
    {
        var head = string.Join('\n', JsonLines.Head(file)).TrimStart();
        return head.StartsWith('{') && head.Contains("\"log_history\"", StringComparison.Ordinal);
    }

    /// <summary>The per-step metrics of a trainer_state.json, named as ours where <see cref="MetricNames"/> maps them.</summary>
    /// <exception cref="HarnessException">Not JSON, no <c>log_history</c>, or no entry with a step; the message names the file.</exception>
    public static ImportedSeries Read(string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(TrainerJson.Standard(File.ReadAllBytes(file)));
        }
        catch (JsonException e)
        {
            throw new HarnessException($"{file}: not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}.", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("log_history", out var history) || history.ValueKind != JsonValueKind.Array)
                throw new HarnessException($"{file}: no \"log_history\" list, so it is not a trainer_state.json.");
            var series = new ImportedSeries(MetricNames.Trl);
            foreach (var entry in history.EnumerateArray())
            {
                // The run's totals (train_runtime, train_loss, …) are not a step's metrics.
                if (entry.ValueKind != JsonValueKind.Object || entry.TryGetProperty("train_runtime", out _)) continue;
                if (!entry.TryGetProperty("step", out var step) || !step.TryGetInt32(out var number)) continue;
                foreach (var property in entry.EnumerateObject().Where(p => p.Name is not ("step" or "epoch")))
                    if (property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null)
                        series.Add(number, property.Name, property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetDouble() : null);
            }
            if (series.Steps == 0) throw new HarnessException($"{file}: log_history has no entry with a step, so there is no metric to read.");
            return series;
        }
    }
}
