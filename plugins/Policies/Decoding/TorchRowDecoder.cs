using static TorchSharp.torch;

namespace Harness.Plugins.Policies.Decoding;

/// <summary>
/// Decodes rows of equal-length prompts with a TorchSharp model on its device: through a <see cref="KvCache"/>, or without
/// one by running the whole sequence again for every token (for benchmarks and checks). Finished rows leave the batch
/// once a quarter of it has finished: until then they ride along (fed a placeholder token, their logits unread), since
/// dropping rows copies every layer's cache and a copy per finished row cost more than it saved on small models.
/// </summary>
public sealed class TorchRowDecoder : IRowDecoder
{
    private readonly Func<Tensor, KvCache?, int, Tensor> _logits;
    private readonly KvCache? _cache;
    private readonly Device _device;
    private int[] _rows = [];
    private Tensor? _sequence;
    private int _position;

    /// <param name="logits">The next-token logits [B, Vocabulary] (float32) of ids [B, t] at positions start…, through the cache when there is one.</param>
    /// <param name="cache">Sized to the rows and their prompts plus the token limit; null recomputes.</param>
    public TorchRowDecoder(int vocabulary, Device device, Func<Tensor, KvCache?, int, Tensor> logits, KvCache? cache)
    {
        (Vocabulary, _device, _logits, _cache) = (vocabulary, device, logits, cache);
    }

    public int Vocabulary { get; }

    public void Start(int[][] prompts, Span<float> logits)
    {
        using var scope = NewDisposeScope();
        _rows = [.. Enumerable.Range(0, prompts.Length)];
        _position = prompts[0].Length;
        var ids = tensor(prompts.SelectMany(p => p.Select(id => (long)id)).ToArray(), [prompts.Length, _position], device: _device);
        if (_cache is null) _sequence = ids.DetachFromDisposeScope();
        ToHost(_logits(ids, _cache, 0), logits);
    }

    public void Extend(ReadOnlySpan<int> rows, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        using var scope = NewDisposeScope();
        if (4 * rows.Length <= 3 * _rows.Length) Keep(rows);
        // Every held row gets a token: its next one, or a placeholder for a row that finished; `at` says where each wanted row is.
        var (ids, at) = (new long[_rows.Length], new int[rows.Length]);
        for (int i = 0, held = 0; i < rows.Length; i++, held++)
        {
            while (_rows[held] != rows[i]) held++;
            (ids[held], at[i]) = (tokens[i], held);
        }
        var input = tensor(ids, [_rows.Length, 1], device: _device);
        Tensor output;
        if (_cache is not null) output = _logits(input, _cache, _position);
        else
        {
            var sequence = cat([_sequence!, input], 1).DetachFromDisposeScope();
            _sequence!.Dispose();
            _sequence = sequence;
            output = _logits(sequence, null, 0);
        }
        _position++;
        if (at.Length == _rows.Length)
        {
            ToHost(output, logits);
            return;
        }
        using var wanted = tensor(at.Select(i => (long)i).ToArray(), device: output.device);
        ToHost(output.index_select(0, wanted), logits);
    }

    // Rows that finished leave the batch: the cache (or the sequence) keeps the rows still decoding.
    private void Keep(ReadOnlySpan<int> rows)
    {
        var index = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++) index[i] = Array.IndexOf(_rows, rows[i]);
        using var kept = tensor(index, device: _device);
        _cache?.Keep(kept);
        if (_sequence is not null)
        {
            var sequence = _sequence.index_select(0, kept).DetachFromDisposeScope();
            _sequence.Dispose();
            _sequence = sequence;
        }
        _rows = rows.ToArray();
    }

    private void ToHost(Tensor logits, Span<float> host) =>
        logits.to_type(ScalarType.Float32).cpu().contiguous().data<float>().CopyTo(host[..(int)logits.numel()], 0, 0);

    public void Dispose()
    {
        _cache?.Dispose();
        _sequence?.Dispose();
    }
}
