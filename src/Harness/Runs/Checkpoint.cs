using System.Globalization;
using System.Security.Cryptography;
using Harness.Abstractions;

namespace Harness.Runs;

/// <summary>The trainer state a checkpoint restores besides weights and optimizer moments.</summary>
public sealed record CheckpointState(int Step, double LearningRateScale, double Beta);

/// <summary>A checkpoint's state.json: the trainer state and the SHA-256 of each file beside it.</summary>
public sealed record CheckpointRecord(int Step, double LearningRateScale, double Beta, IReadOnlyDictionary<string, string> Sha256);

/// <summary>
/// A checkpoint folder, <c>checkpoints/step-000020/</c>: the policy's weights (<c>model.bin</c>, or the files of a
/// policy that saves its own format, such as a Hugging Face folder), the AdamW state and <c>state.json</c> (step,
/// trainer state and each file's SHA-256). It is written under a temporary name and
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

    public static string Save(string checkpointsDir, CheckpointState state, ITrainablePolicy? policy, IOptimizerState? optimizer)
    {
        var final = Path.Combine(checkpointsDir, Name(state.Step));
        var partial = final + PartialSuffix;
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        if (policy is IExportablePolicy exportable) exportable.Save(partial);
        else policy?.Model.save(Path.Combine(partial, ModelFile));
        if (optimizer is not null)
            using (var writer = new BinaryWriter(File.Create(Path.Combine(partial, OptimizerFile))))
                optimizer.Save(writer);
        RunFile.WriteIndented(Path.Combine(partial, StateFile), new CheckpointRecord(state.Step, state.LearningRateScale, state.Beta,
            Directory.EnumerateFiles(partial).Select(Path.GetFileName).OfType<string>().Where(f => f != StateFile).Order(StringComparer.Ordinal)
                .ToDictionary(f => f, f => Sha256(Path.Combine(partial, f)))));
        foreach (var file in Directory.EnumerateFiles(partial)) Sync(file);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(partial, final);
        return final;
    }

    /// <summary>
    /// Copies a checkpoint's weights, in the policy's own format, to a new folder: every file but the optimizer's
    /// state and state.json, after their hashes are checked, through a temporary folder renamed into place.
    /// </summary>
    /// <exception cref="HarnessException">The checkpoint is broken, holds TorchSharp state (model.bin) rather than a format of its own, or the target is not empty.</exception>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="target">The folder to write.</param>
    /// <param name="stop">Checked between files: a stop removes the partial folder and leaves nothing behind.</param>
    public static void Export(string folder, string target, CancellationToken stop)
    {
        Verify(folder);
        if (File.Exists(Path.Combine(folder, ModelFile)))
            throw new HarnessException($"Checkpoint '{folder}' holds {ModelFile}, the TorchSharp state of a policy with no format of its own (tiny-gpt); only policies that save one, such as hf-causal-lm's Hugging Face folders, export.");
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
            throw new HarnessException($"--out '{target}' already exists and is not empty; export writes a new folder.");
        var partial = target.TrimEnd(Path.DirectorySeparatorChar) + PartialSuffix;
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => Path.GetFileName(f) is not (OptimizerFile or StateFile)))
        {
            if (stop.IsCancellationRequested)
            {
                Directory.Delete(partial, recursive: true);
                stop.ThrowIfCancellationRequested();
            }
            File.Copy(file, Path.Combine(partial, Path.GetFileName(file)));
        }
        if (Directory.Exists(target)) Directory.Delete(target);
        Directory.Move(partial, target);
    }

    /// <summary>A run's checkpoint by folder name (step-000020), or its newest when <paramref name="name"/> is null.</summary>
    /// <exception cref="HarnessException">The run has no checkpoint, or none of that name; the message lists those it has.</exception>
    public static (int Step, string Path) Choose(RunDirectory run, string? name)
    {
        var available = List(run.Checkpoints);
        if (available.Count == 0) throw new HarnessException($"Run '{run.Root}' has no checkpoint.");
        var chosen = name is null ? available[^1] : available.FirstOrDefault(c => System.IO.Path.GetFileName(c.Path) == name);
        return chosen.Path is not null ? chosen
            : throw new HarnessException($"Run '{run.Root}' has no checkpoint '{name}'. Checkpoints: {string.Join(", ", available.Select(c => System.IO.Path.GetFileName(c.Path)))}.");
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
    public static CheckpointState Load(string folder, ITrainablePolicy? policy, IOptimizerState? optimizer)
    {
        var state = Verify(folder);
        if (policy is null || optimizer is null) return state;
        var exportable = policy as IExportablePolicy;
        foreach (var file in exportable is null ? new[] { ModelFile, OptimizerFile } : [OptimizerFile])
            if (!File.Exists(Path.Combine(folder, file)))
                throw new HarnessException($"Checkpoint file '{Path.Combine(folder, file)}' is missing: the checkpoint holds no weights for the policy.");
        var weights = exportable is null ? Path.Combine(folder, ModelFile) : folder;
        try
        {
            if (exportable is not null) exportable.Load(folder);
            else policy.Model.load(weights);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HarnessException($"Checkpoint '{weights}' does not load into the policy: {e.Message}", e);
        }
        try
        {
            using var stream = File.OpenRead(Path.Combine(folder, OptimizerFile));
            optimizer.Load(stream);
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
