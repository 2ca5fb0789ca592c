using Harness.Plugins.Policies.HuggingFace;
using Harness.Tests.Golden.Fixtures;
using static TorchSharp.torch;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>Stored BF16, F16 and F32 bytes as tensors: the values the bit patterns mean, and the same bytes written back.</summary>
[Collection(TorchCollection.Name)]
public class TensorBytesTests
{
    [Theory]
    // 1.0, -2.0, 0.5 and the smallest positive normal of each 16-bit type, little-endian.
    [InlineData("BF16", new byte[] { 0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F, 0x80, 0x00 }, new[] { 1f, -2f, 0.5f, 1.17549435e-38f })]
    [InlineData("F16", new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0x00, 0x04 }, new[] { 1f, -2f, 0.5f, 6.1035156e-05f })]
    [InlineData("F32", new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0, 0x3F, 0, 0, 0x80, 0 }, new[] { 1f, -2f, 0.5f, 1.17549435e-38f })]
    public void Stored_bits_read_as_the_values_they_encode_and_write_back_unchanged(string dtype, byte[] bits, float[] values)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "w.safetensors");
        SafeTensorsFile.Write(path, [("w", dtype, [2, 2], bits)]);

        using var file = SafeTensorsFile.Open(path);
        using var tensor = TensorBytes.Read(file, file.Tensors["w"]);
        var (storedType, shape, data) = TensorBytes.Stored(tensor);

        Assert.Equal(TensorBytes.TypeOf(dtype), tensor.dtype);
        Assert.Equal(values, tensor.to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(dtype, storedType);
        Assert.Equal(bits, data);
        Assert.Equal([2L, 2L], shape);
    }

    [Fact]
    public void A_tensor_of_a_type_safetensors_checkpoints_do_not_hold_is_refused_by_name()
    {
        using var ints = zeros(3, dtype: ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => TensorBytes.Stored(ints));

        Assert.Contains("Int64", error.Message);
    }
}
