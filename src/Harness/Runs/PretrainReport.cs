using Harness.Experiments;

namespace Harness.Runs;

/// <summary>
/// A pretraining's report, written beside its weights as <c>&lt;weights&gt;.json</c>: the recipe as resolved, each written
/// file's SHA-256, where and how long it trained, the loss curve and the base model's evaluation.
/// </summary>
/// <param name="Weights">The weights' file (or folder) name.</param>
/// <param name="Steps">Steps completed.</param>
/// <param name="Stopped">Set when a signal ended pretraining early.</param>
/// <param name="Evaluation">The base's report card; empty when stopped.</param>
/// <param name="Curve">Every logged window: step, loss, learning rate, tokens/s.</param>
public sealed record PretrainReport(PretrainRecipe Recipe, string Weights, IReadOnlyDictionary<string, string> Sha256, string Device, int Threads, int Steps,
    PretrainStop? Stopped, double Seconds, IReadOnlyDictionary<string, double> Evaluation, IReadOnlyList<IReadOnlyDictionary<string, double>> Curve);

/// <summary>What stopped a pretraining, and how many steps it was to take.</summary>
public sealed record PretrainStop(string Signal, int Of);
