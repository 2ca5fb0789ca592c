namespace Harness.Abstractions;

/// <summary>
/// A trainable policy whose weights live in a format of their own, a folder other tools load (contract 1.5): a
/// Hugging Face folder that transformers and vLLM read. The engine's checkpoints and pretraining's output then hold
/// that folder instead of the module's TorchSharp state; the optimizer's state stays the engine's.
/// </summary>
public interface IExportablePolicy : ITrainablePolicy
{
    /// <summary>Writes the current weights, and every file needed to load them elsewhere, into <paramref name="folder"/> (which exists).</summary>
    /// <param name="folder">The folder to write into; the engine makes it atomic by writing under a temporary name.</param>
    void Save(string folder);

    /// <summary>Replaces the current weights with those <see cref="Save"/> wrote into <paramref name="folder"/>.</summary>
    /// <param name="folder">A folder <see cref="Save"/> wrote.</param>
    void Load(string folder);
}
