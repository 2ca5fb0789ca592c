namespace Harness.Runs;

/// <summary>An optimizer's state as a checkpoint keeps it (<c>optimizer.bin</c>).</summary>
public interface IOptimizerState
{
    void Save(BinaryWriter writer);

    /// <exception cref="InvalidDataException">The state is of another optimizer or another model.</exception>
    void Load(Stream stream);
}
