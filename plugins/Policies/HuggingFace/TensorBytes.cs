using static TorchSharp.torch;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// Stored tensors to TorchSharp tensors and back, byte for byte: a stored BF16 or F16 tensor becomes a tensor of that
/// type (cast to the run's dtype by the caller), so that load then save is bit-exact.
/// </summary>
public static class TensorBytes
{
    public static ScalarType TypeOf(string dtype) => StoredTensor.Types.TryGetValue(dtype, out var type)
        ? type.Type
        : throw new ArgumentException($"stored type {dtype} is not one of {StoredTensor.TypeList}");

    public static string DTypeOf(ScalarType type) => StoredTensor.Types.FirstOrDefault(t => t.Value.Type == type).Key
        ?? throw new ArgumentException($"a tensor of {type} cannot be stored; safetensors checkpoints here hold {StoredTensor.TypeList}");

    /// <summary>The tensor a stored entry holds, on the CPU, in its stored type.</summary>
    public static Tensor Read(SafeTensorsFile file, StoredTensor entry)
    {
        var tensor = empty(entry.Shape, dtype: TypeOf(entry.DType));
        if (entry.Elements > 0) tensor.bytes = file.Read(entry);
        return tensor;
    }

    /// <summary>A tensor as safetensors stores it: its type's name, its shape and its bytes (little-endian, row-major).</summary>
    public static (string DType, long[] Shape, byte[] Data) Stored(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        return (DTypeOf(cpu.dtype), cpu.shape, cpu.numel() == 0 ? [] : cpu.bytes.ToArray());
    }
}
