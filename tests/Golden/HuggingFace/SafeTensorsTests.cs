using System.Buffers.Binary;
using System.Text;
using Harness.Plugins.Policies.HuggingFace;
using Harness.Tests.Golden.Fixtures;

namespace Harness.Tests.Golden.HuggingFace;

/// <summary>safetensors files: read as the format's README lays them out, written back byte for byte, and refused with the tensor named.</summary>
public class SafeTensorsTests
{
    // A file laid out by hand from the specification, not by the writer under test.
    private static byte[] HandMade(string header, byte[] data)
    {
        var text = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + text.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)text.Length);
        text.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + text.Length);
        return bytes;
    }

    [Fact]
    public void A_hand_made_file_reads_with_its_types_shapes_bytes_and_metadata()
    {
        using var dir = new TempDirectory();
        var data = Enumerable.Range(0, 4 * 6 + 2 * 3).Select(i => (byte)(i * 7)).ToArray();
        var path = Path.Combine(dir.Path, "model.safetensors");
        File.WriteAllBytes(path, HandMade("""
            {"b":{"dtype":"BF16","shape":[3],"data_offsets":[24,30]},"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}
            """, data));

        using var file = SafeTensorsFile.Open(path);

        Assert.Equal(["b", "a"], file.Tensors.Keys);
        Assert.Equal("F32", file.Tensors["a"].DType);
        Assert.Equal([2L, 3L], file.Tensors["a"].Shape);
        Assert.Equal(data[..24], file.Read(file.Tensors["a"]));
        Assert.Equal(data[24..], file.Read(file.Tensors["b"]));
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Written_tensors_read_back_bit_exact_with_the_header_padded_to_eight_bytes()
    {
        using var dir = new TempDirectory();
        var random = new Random(3);
        var tensors = new (string, string, long[], byte[])[]
        {
            ("model.embed_tokens.weight", "BF16", [5, 4], RandomBytes(random, 40)),
            ("model.norm.weight", "F32", [4], RandomBytes(random, 16)),
            ("lm_head.weight", "F16", [5, 4], RandomBytes(random, 40)),
            ("empty", "F32", [0, 4], []),
        };
        var path = Path.Combine(dir.Path, "out.safetensors");

        SafeTensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        using var file = SafeTensorsFile.Open(path);

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path).AsSpan(0, 8));
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal(tensors.Select(t => t.Item1), file.Tensors.Keys);
        foreach (var (name, dtype, shape, bytes) in tensors)
        {
            Assert.Equal(dtype, file.Tensors[name].DType);
            Assert.Equal(shape, file.Tensors[name].Shape);
            Assert.Equal(bytes, file.Read(file.Tensors[name]));
        }
        Assert.False(File.Exists(path + ".partial"));
    }

    [Theory]
    [InlineData("truncated", "tensor 'a' ends at byte 24 of the data, but the file holds 20: it is truncated")]
    [InlineData("dtype", "tensor 'a' is stored as I64; this reader takes F32, BF16 and F16")]
    [InlineData("size", "tensor 'a' has 24 bytes for F32 of shape [2, 2]")]
    [InlineData("length", "declares a header of")]
    [InlineData("json", "has a header that is not valid JSON")]
    [InlineData("entry", "tensor 'a' is not an entry of dtype, shape and data_offsets")]
    public void A_broken_file_is_refused_naming_the_file_and_the_tensor(string how, string expected)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "model.safetensors");
        var good = """{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""";
        var bytes = how switch
        {
            "truncated" => HandMade(good, new byte[20]),
            "dtype" => HandMade(good.Replace("F32", "I64"), new byte[24]),
            "size" => HandMade(good.Replace("[2,3]", "[2,2]"), new byte[24]),
            "length" => HandMade(good, new byte[24])[..30],
            "json" => HandMade("{\"a\":", new byte[24]),
            _ => HandMade("""{"a":{"dtype":"F32","shape":"2x3"}}""", new byte[24]),
        };
        if (how == "length") BinaryPrimitives.WriteUInt64LittleEndian(bytes, 4096);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    private static byte[] RandomBytes(Random random, int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }
}
