using Harness.Abstractions;
using Harness.Plugins.Policies.Decoding;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// Sampling for a Hugging Face decoder: prompts of one token length decode together (<see cref="LengthBuckets"/>) through
/// a KV cache sized to the batch, each step's logits cut to the tokenizer's vocabulary (ids past it pad the embedding),
/// and the shared <see cref="Autoregression"/> loop chooses the tokens. A row ends at an end-of-sequence id (not part of
/// its text), after the stop text, or at the token limit.
/// </summary>
public sealed class HfSampler(HfDecoder model, HfFolder folder, string stop)
{
    public IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request, int[][] prompts)
    {
        var parameter = model.parameters().First();
        var (device, type, config, vocabulary) = (parameter.device, parameter.dtype, folder.Config, folder.Tokenizer.VocabSize);
        var eos = folder.EosTokenIds.ToHashSet();
        var text = new CompletionText(eos.Contains, ids => folder.Tokenizer.Decode(ids), stop, TokensPerCharacter: 4, id => folder.Tokenizer.Token(id) ?? "");
        using var head = model.HeadWeight.narrow(0, 0, vocabulary);
        return LengthBuckets.Sample(request, prompts, (rows, streams, first) =>
        {
            var promptLength = rows[0].Length;
            var limit = Math.Min(request.MaxNewTokens, config.MaxPositions - promptLength);
            if (limit <= 0)
                throw new ArgumentException($"Policy 'hf-causal-lm': prompt \"{request.Prompts[first]}\" is {promptLength} tokens with its template, leaving no room under max_position_embeddings ({config.MaxPositions}) in {folder.ConfigPath}.");
            return Autoregression.Run(rows, streams, request, limit, text, count => new TorchRowDecoder(vocabulary, device,
                (ids, cache, start) => nn.functional.linear(model.Hidden(ids, cache, start).select(1, -1), head).to_type(ScalarType.Float32),
                new KvCache(config.Layers, count, config.KeyValueHeads, promptLength + limit, config.HeadDim, device, type)));
        });
    }
}
