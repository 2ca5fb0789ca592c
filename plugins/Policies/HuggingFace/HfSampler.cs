using Harness.Abstractions;
using Harness.Plugins.Policies.Decoding;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// Batched sampling through a KV cache sized to the batch (prompts of one token length together, as
/// <see cref="LengthBuckets"/> groups them); each step's logits are cut to the tokenizer's vocabulary, passed through the
/// request's sampling fixes and sampled. A row ends at an end-of-sequence id (not part of its text or tokens' text),
/// after the stop text, or at the token limit.
/// </summary>
public sealed class HfSampler(HfDecoder model, HfFolder folder, string stop)
{
    public IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request, int[][] prompts)
    {
        var device = model.parameters().First().device;
        return LengthBuckets.Sample(request, prompts, device, (rows, generator, first) => Generate(rows, request, generator, device, request.Prompts[first]));
    }

    private SampledCompletion[] Generate(int[][] prompts, SamplingRequest request, Generator generator, Device device, string firstPrompt)
    {
        using var scope = NewDisposeScope();
        var config = folder.Config;
        var rows = prompts.Length;
        var promptLength = prompts[0].Length;
        var limit = Math.Min(request.MaxNewTokens, config.MaxPositions - promptLength);
        if (limit <= 0)
            throw new ArgumentException($"Policy 'hf-causal-lm': prompt \"{firstPrompt}\" is {promptLength} tokens with its template, leaving no room under max_position_embeddings ({config.MaxPositions}) in {folder.ConfigPath}.");
        var eos = folder.EosTokenIds.ToHashSet();
        var stopWindow = 4 * (stop.Length + 1);
        var tokens = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var finished = new bool[rows];
        var type = model.parameters().First().dtype;
        using var cache = new KvCache(config.Layers, rows, config.KeyValueHeads, promptLength + limit, config.HeadDim, device, type);
        var head = model.HeadWeight.narrow(0, 0, folder.Tokenizer.VocabSize);
        Tensor Logits(Tensor ids, int start) => nn.functional.linear(model.Hidden(ids, cache, start).select(1, -1), head).to_type(ScalarType.Float32);

        var logits = Logits(tensor(prompts.SelectMany(p => p.Select(id => (long)id)).ToArray(), [rows, promptLength], device: device), 0);
        for (var step = 0; step < limit; step++)
        {
            using var stepScope = NewDisposeScope();
            var (next, chosen) = LengthBuckets.Choose(logits, request, tokens, finished, generator);
            for (var r = 0; r < rows; r++)
            {
                if (finished[r]) continue;
                var id = (int)chosen[r];
                tokens[r].Add(id);
                if (eos.Contains(id))
                {
                    finished[r] = true;
                    continue;
                }
                // A BPE token may carry text past the stop text ("</answer>\n"), so the stop is looked for, not matched at the
                // end; only in the last tokens' text, which the stop completed this step must lie in (a character is at
                // most 4 tokens, byte by byte), so a step costs no decode of the whole completion.
                if (stop.Length > 0 && folder.Tokenizer.Decode(tokens[r].Skip(tokens[r].Count - stopWindow)).Contains(stop, StringComparison.Ordinal)) finished[r] = true;
            }
            if (finished.All(f => f) || step == limit - 1) break;
            logits = Logits(next.unsqueeze(1), promptLength + step).MoveToOuterDisposeScope();
        }
        return [.. Enumerable.Range(0, rows).Select(r => new SampledCompletion(Text(tokens[r]), tokens[r].Count, !finished[r])
        {
            Tokens = tokens[r].ToArray(),
            TokenStrings = [.. tokens[r].Select(id => folder.Tokenizer.Token(id) ?? "")],
        })];

        // The completion's text, without a final end-of-sequence token.
        string Text(List<int> ids) => folder.Tokenizer.Decode(ids.Count > 0 && eos.Contains(ids[^1]) ? ids.Take(ids.Count - 1) : ids);
    }
}
