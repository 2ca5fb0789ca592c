using System.Globalization;
using System.Security.Cryptography;
using TorchSharp;

namespace Harness.Runs;

/// <summary>The trainer state a checkpoint restores besides weights and optimizer moments.</summary>
public sealed record CheckpointState(int Step, double LearningRateScale, double Beta);

/// <summary>A checkpoint's state.json: the trainer state and the SHA-256 of each file beside it.</summary>
public sealed record CheckpointRecord(int Step, double LearningRateScale, double Beta, IReadOnlyDictionary<string, string> Sha256);

/// <summary>
/// A checkpoint folder, <c>checkpoints/step-000020/</c>: the policy's weights, the AdamW state and
/// <c>state.json</c> (step, trainer state and each file's SHA-256). It is written under a temporary name and
/// renamed into place, so a crash never leaves a half-written checkpoint under a real name. A scoring run (a policy
/// with no model) keeps state.json alone.
/// </summary>
public static class Checkpoint
{
    private const string ModelFile = "model.bin";
    private const string OptimizerFile = "optimizer.bin";
    private const string StateFile = "state.json";
    private const string Prefix = "step-";
    private const string PartialSuffix = ".partial";

    public static string Name(int step) => Prefix + step.ToString("D6", CultureInfo.InvariantCulture);

    public static string Save(string checkpointsDir, CheckpointState state, torch.nn.Module? model, torch.optim.Optimizer? optimizer)
    {
        var final = Path.Combine(checkpointsDir, Name(state.Step));
        var partial = final + PartialSuffix;
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        model?.save(Path.Combine(partial, ModelFile));
        if (optimizer is not null)
            using (var writer = new BinaryWriter(File.Create(Path.Combine(partial, OptimizerFile))))
                ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        RunFile.WriteIndented(Path.Combine(partial, StateFile), new CheckpointRecord(state.Step, state.LearningRateScale, state.Beta,
            new[] { ModelFile, OptimizerFile }.Where(f => File.Exists(Path.Combine(partial, f))).ToDictionary(f => f, f => Sha256(Path.Combine(partial, f)))));
        foreach (var file in Directory.EnumerateFiles(partial)) Sync(file);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(partial, final);
        return final;
    }

    /// <summary>Checkpoint folders by step, oldest first; half-written ones are ignored.</summary>
    public static IReadOnlyList<(int Step, string Path)> List(string checkpointsDir) =>
        !Directory.Exists(checkpointsDir) ? [] :
        [.. Directory.EnumerateDirectories(checkpointsDir)
            .Select(d => (Name: System.IO.Path.GetFileName(d), Path: d))
            .Where(d => d.Name.StartsWith(Prefix, StringComparison.Ordinal) && !d.Name.EndsWith(PartialSuffix, StringComparison.Ordinal))
            .Select(d => (Step: int.TryParse(d.Name[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1, d.Path))
            .Where(d => d.Step >= 0)
            .OrderBy(d => d.Step)];

    /// <summary>Whether a checkpoint folder's files are all there and match their recorded hashes.</summary>
    public static bool IsIntact(string folder)
    {
        try
        {
            Verify(folder);
            return true;
        }
        catch (HarnessException)
        {
            return false;
        }
    }

    /// <summary>Reads and verifies a checkpoint, then loads it into the model and optimizer.</summary>
    /// <exception cref="HarnessException">A file is missing, does not match its recorded hash, or does not load; the message names it.</exception>
    public static CheckpointState Load(string folder, torch.nn.Module? model, torch.optim.Optimizer? optimizer)
    {
        var state = Verify(folder);
        if (model is null || optimizer is null) return state;
        foreach (var file in new[] { ModelFile, OptimizerFile })
            if (!File.Exists(Path.Combine(folder, file)))
                throw new HarnessException($"Checkpoint file '{Path.Combine(folder, file)}' is missing: the checkpoint holds no weights for the policy.");
        try
        {
            model.load(Path.Combine(folder, ModelFile));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HarnessException($"Checkpoint file '{Path.Combine(folder, ModelFile)}' does not load into the policy: {e.Message}", e);
        }
        try
        {
            using var reader = new BinaryReader(File.OpenRead(Path.Combine(folder, OptimizerFile)));
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HarnessException($"Checkpoint file '{Path.Combine(folder, OptimizerFile)}' does not load into the optimizer: {e.Message}", e);
        }
        return state;
    }

    private static CheckpointState Verify(string folder)
    {
        var statePath = Path.Combine(folder, StateFile);
        CheckpointRecord record;
        try
        {
            record = RunFile.Read<CheckpointRecord>(statePath, "checkpoint state");
        }
        catch (HarnessException e)
        {
            throw new HarnessException($"Checkpoint file '{statePath}' is missing or corrupt: {e.InnerException?.Message ?? e.Message}", e);
        }
        var (state, hashes) = (new CheckpointState(record.Step, record.LearningRateScale, record.Beta), record.Sha256);
        foreach (var (file, expected) in hashes)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) throw new HarnessException($"Checkpoint file '{path}' is missing.");
            if (Sha256(path) != expected)
                throw new HarnessException($"Checkpoint file '{path}' is corrupt: its SHA-256 differs from the one recorded in {statePath}.");
        }
        return state;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Sync(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
