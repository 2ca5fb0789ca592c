using Harness.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// AdamW over every parameter of a model at once. The parameters and their gradients are re-seated as views into one
/// flat buffer each, so clipping is one norm and one scale, and a step is six calls whatever the model's size, with one
/// temporary (the denominator) freed as the step ends, where a per-parameter optimizer makes a dozen calls and two
/// temporaries per parameter. The update is AdamW's (decoupled weight decay, bias-corrected moments, ε outside the
/// square root), as PyTorch and TorchSharp write it; the moments are kept in the parameters' dtype.
/// </summary>
public sealed class FlatAdamW : IOptimizerState, IDisposable
{
    private const string Format = "HarnessFlatAdamW";
    private const int FormatVersion = 1;
    private const int Alignment = 16;
    private readonly Parameter[] _parameters;
    private readonly long[] _offsets;
    private readonly Tensor _weights, _gradients, _first, _second;
    private readonly double _beta1, _beta2, _eps, _weightDecay;

    public FlatAdamW(IEnumerable<Parameter> parameters, double beta1, double beta2, double eps, double weightDecay)
    {
        _parameters = [.. parameters.Where(p => p.requires_grad)];
        if (_parameters.Length == 0) throw new ArgumentException("AdamW needs at least one parameter that requires a gradient.");
        var (type, device) = (_parameters[0].dtype, _parameters[0].device);
        if (_parameters.Any(p => p.dtype != type || p.device.type != device.type || p.device.index != device.index))
            throw new ArgumentException($"AdamW keeps all parameters in one buffer, so they must share one dtype and device; found {string.Join(", ", _parameters.Select(p => $"{p.dtype} on {p.device}").Distinct())}.");
        (_beta1, _beta2, _eps, _weightDecay) = (beta1, beta2, eps, weightDecay);
        // Each parameter starts on a 64-byte boundary, as libtorch allocates tensors: matrix kernels (MKL's) may sum in
        // another order for another alignment, so an unaligned view would change the floats a checkpoint resumes with.
        var offsets = new long[_parameters.Length];
        long total = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            offsets[i] = total;
            total += (_parameters[i].numel() + Alignment - 1) / Alignment * Alignment;
        }
        // The gaps between parameters stay zero: no gradient reaches them, so AdamW leaves them at zero.
        _weights = zeros(total, type, device);
        _gradients = zeros(total, type, device);
        _first = zeros(total, type, device);
        _second = zeros(total, type, device);
        _offsets = offsets;
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            using var weights = _weights.narrow(0, offsets[i], parameter.numel()).view(parameter.shape);
            weights.copy_(parameter);
            parameter.set_(weights);
            // Autograd adds into a gradient that exists in place, so every backward pass accumulates into the flat buffer.
            parameter.grad = _gradients.narrow(0, offsets[i], parameter.numel()).view(parameter.shape);
        }
    }

    /// <summary>Steps taken, for the bias corrections.</summary>
    public long Steps { get; private set; }

    /// <summary>Numbers held: one per parameter element, and the gaps that start each parameter on a 64-byte boundary.</summary>
    public long Count => _weights.numel();

    /// <summary>Zeroes every gradient, in place.</summary>
    public void ZeroGradients()
    {
        using var noGrad = no_grad();
        _gradients.zero_();
    }

    /// <summary>Scales the gradients down to a global L2 norm of <paramref name="maxNorm"/> when they are above it (PyTorch's clip_grad_norm_); returns the norm before.</summary>
    public double ClipGradients(double maxNorm)
    {
        using var noGrad = no_grad();
        var norm = _gradients.norm().to_type(ScalarType.Float64).item<double>();
        var scale = maxNorm / (norm + 1e-6);
        if (scale < 1) _gradients.mul_(scale);
        return norm;
    }

    /// <summary>One AdamW step at <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        using var noGrad = no_grad();
        Steps++;
        var (correction1, correction2) = (1 - Math.Pow(_beta1, Steps), 1 - Math.Pow(_beta2, Steps));
        _weights.mul_(1 - learningRate * _weightDecay);
        _first.mul_(_beta1).add_(_gradients, 1 - _beta1);
        _second.mul_(_beta2).addcmul_(_gradients, _gradients, 1 - _beta2);
        using var denominator = _second.sqrt().div_(Math.Sqrt(correction2)).add_(_eps);
        _weights.addcdiv_(_first, denominator, -learningRate / correction1);
    }

    /// <summary>Writes the step count and both moments.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Format);
        writer.Write(FormatVersion);
        writer.Write(Steps);
        writer.Write(Count);
        foreach (var moment in new[] { _first, _second })
            foreach (var (offset, length) in Chunks())
            {
                using var host = moment.narrow(0, offset, length).to_type(ScalarType.Float32).cpu();
                writer.Write(host.bytes);
            }
    }

    // Pieces of at most 2^28 numbers: a tensor's bytes are one span, which cannot pass 2 GiB.
    private IEnumerable<(long Offset, long Length)> Chunks()
    {
        const long Piece = 1L << 28;
        for (long offset = 0; offset < Count; offset += Piece) yield return (offset, Math.Min(Piece, Count - offset));
    }

    /// <summary>
    /// Reads what <see cref="Save"/> wrote, or the per-parameter state TorchSharp's AdamW wrote before this optimizer
    /// (checkpoints of older runs), converted: the same moments and step, laid out flat.
    /// </summary>
    /// <exception cref="InvalidDataException">The state is of another optimizer or another model.</exception>
    public void Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var start = stream.Position;
        var kind = reader.ReadString();
        if (kind != Format)
        {
            stream.Position = start;
            LoadTorchSharp(reader);
            return;
        }
        var version = reader.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"optimizer state format {version} is newer than this harness reads ({FormatVersion})");
        var steps = reader.ReadInt64();
        var count = reader.ReadInt64();
        if (count != Count) throw new InvalidDataException($"the optimizer state holds {count} numbers where this model's holds {Count}: it is of another model");
        using var noGrad = no_grad();
        foreach (var moment in new[] { _first, _second })
            foreach (var (offset, length) in Chunks())
            {
                using var host = empty(length, ScalarType.Float32);
                if (reader.BaseStream.ReadAtLeast(host.bytes, (int)(4 * length), throwOnEndOfStream: false) != 4 * length)
                    throw new InvalidDataException("the optimizer state ends early");
                moment.narrow(0, offset, length).copy_(host);
            }
        Steps = steps;
    }

    private void LoadTorchSharp(BinaryReader reader)
    {
        using var legacy = optim.AdamW(_parameters, 1e-3, _beta1, _beta2, _eps, _weightDecay);
        legacy.load_state_dict(reader);
        var states = legacy.state_dict().State.Cast<TorchSharp.Modules.AdamW.State>().ToArray();
        if (states.Length != _parameters.Length)
            throw new InvalidDataException($"the optimizer state holds {states.Length} parameters and the model has {_parameters.Length}");
        using var noGrad = no_grad();
        for (var i = 0; i < states.Length; i++)
        {
            var count = _parameters[i].numel();
            if (states[i].exp_avg.numel() != count)
                throw new InvalidDataException($"parameter {i} has {count} numbers in the model and {states[i].exp_avg.numel()} in the optimizer state");
            _first.narrow(0, _offsets[i], count).copy_(states[i].exp_avg.flatten());
            _second.narrow(0, _offsets[i], count).copy_(states[i].exp_avg_sq.flatten());
        }
        Steps = states.Length == 0 ? 0 : states[0].step;
    }

    public void Dispose()
    {
        _weights.Dispose();
        _gradients.Dispose();
        _first.Dispose();
        _second.Dispose();
    }
}
