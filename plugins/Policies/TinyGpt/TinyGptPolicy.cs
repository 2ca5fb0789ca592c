using System.Text;
using Harness.Abstractions;
using Harness.Plugins.Policies.Decoding;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.TinyGpt;

/// <summary>
/// A character-level GPT trained by the harness. Settings: <c>layers</c> (3), <c>width</c> (96), <c>heads</c> (4),
/// <c>context</c> (160), <c>init_seed</c> (1), <c>weights</c> (a file saved by a run or by pretraining, to
/// start from) and <c>kv_cache</c> (true; false recomputes the whole sequence per token, for benchmarks and
/// checks) and <c>stop</c> (<c>&lt;/answer&gt;</c>: generation also stops after this text; <c>none</c> stops only at
/// the end-of-text token or the token limit, so a policy may write on after its answer block).
/// </summary>
[Plugin("tiny-gpt", Description = "character-level GPT on TorchSharp (settings: layers, width, heads, context, init_seed, weights, kv_cache, stop)", PathSettings = ["weights"])]
public sealed class TinyGptPolicy : ITextPolicy
{
    private readonly GptModel _model;
    private readonly string _stop;
    private readonly bool _useCache;

    public TinyGptPolicy(PluginSettings settings)
    {
        var shape = GptShape.From(settings);
        torch.manual_seed(settings.GetInt("init_seed", 1));
        _model = new GptModel(shape);
        _useCache = settings.GetString("kv_cache", "true") switch
        {
            "true" => true,
            "false" => false,
            var other => throw new PluginSettingsException("tiny-gpt", "kv_cache", $"must be true or false, got '{other}'"),
        };
        _stop = settings.GetString("stop", "</answer>") switch
        {
            "none" => "",
            "" => throw new PluginSettingsException("tiny-gpt", "stop", "is empty; write 'none' to stop only at the end-of-text token"),
            var text => text,
        };
        var weights = settings.GetString("weights", "");
        if (weights.Length > 0) LoadWeights(weights);
    }

    public nn.Module Model => _model;

    public IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request)
    {
        var device = _model.parameters().First().device;
        return LengthBuckets.Sample(request, [.. request.Prompts.Select(CharTokenizer.EncodePrompt)], device, (rows, generator, _) => Generate(rows, request, generator, device));
    }

    public IReadOnlyList<int> Tokenize(string document) => [.. CharTokenizer.Encode(document), CharTokenizer.EndOfText];

    public TokenScores Score(ScoringRequest request)
    {
        if (request.Prompts.Count != request.Tokens.Count)
            throw new ArgumentException($"Policy 'tiny-gpt': {request.Prompts.Count} prompts for {request.Tokens.Count} completions.");
        using var scope = NewDisposeScope();
        var device = _model.parameters().First().device;
        var prompts = request.Prompts.Select(CharTokenizer.EncodePrompt).ToArray();
        var count = prompts.Length;
        var sequenceLength = Enumerable.Range(0, count).Max(i => prompts[i].Length + request.Tokens[i].Count);
        var completionLength = Math.Max(1, request.Tokens.Max(t => t.Count));
        if (sequenceLength > _model.Shape.Context)
            throw new ArgumentException($"Policy 'tiny-gpt': a prompt with its completion has {sequenceLength} tokens, more than the context of {_model.Shape.Context}.");

        var input = new long[count * sequenceLength];
        var positions = new long[count * completionLength];
        var targets = new long[count * completionLength];
        var mask = new float[count * completionLength];
        for (var i = 0; i < count; i++)
        {
            var sequence = prompts[i].Concat(request.Tokens[i]).ToArray();
            for (var t = 0; t < sequence.Length; t++) input[i * sequenceLength + t] = sequence[t];
            for (var t = 0; t < completionLength; t++)
            {
                var real = t < request.Tokens[i].Count;
                // The logits at position p predict the token at p + 1.
                positions[i * completionLength + t] = real ? prompts[i].Length - 1 + t : 0;
                targets[i * completionLength + t] = real ? request.Tokens[i][t] : 0;
                mask[i * completionLength + t] = real ? 1 : 0;
            }
        }
        var logits = _model.forward(tensor(input, [count, sequenceLength], device: device));
        var vocabulary = logits.shape[2];
        var at = tensor(positions, [count, completionLength], device: device);
        var selected = logits.gather(1, at.unsqueeze(-1).expand(count, completionLength, vocabulary));
        var logProbsAll = nn.functional.log_softmax(selected, -1);
        var valid = tensor(mask, [count, completionLength], device: device);
        var logProbs = logProbsAll.gather(2, tensor(targets, [count, completionLength], device: device).unsqueeze(-1)).squeeze(-1) * valid;
        var entropy = -(logProbsAll.exp() * logProbsAll).sum(-1) * valid;
        return new TokenScores(logProbs.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope());
    }

    private SampledCompletion[] Generate(int[][] prompts, SamplingRequest request, Generator generator, Device device)
    {
        using var scope = NewDisposeScope();
        var rows = prompts.Length;
        var promptLength = prompts[0].Length;
        var limit = Math.Min(request.MaxNewTokens, _model.Shape.Context - promptLength);
        if (limit <= 0)
            throw new ArgumentException($"Policy 'tiny-gpt': prompt \"{CharTokenizer.Decode(prompts[0].Skip(1))}\" has {promptLength} tokens, leaving no room in the context of {_model.Shape.Context}.");

        var tokens = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var texts = Enumerable.Range(0, rows).Select(_ => new StringBuilder()).ToArray();
        var finished = new bool[rows];
        using var cache = _useCache ? new KvCache(_model.Shape.Layers, rows, _model.Shape.Heads, _model.Shape.Context, _model.Shape.HeadWidth, device) : null;
        var sequence = tensor(prompts.SelectMany(p => p.Select(id => (long)id)).ToArray(), [rows, promptLength], device: device);
        var logits = _model.Decode(sequence, cache, 0).select(1, -1);
        for (var step = 0; step < limit; step++)
        {
            using var stepScope = NewDisposeScope();
            var (next, chosen) = LengthBuckets.Choose(logits, request, tokens, finished, generator);
            for (var r = 0; r < rows; r++)
            {
                if (finished[r]) continue;
                var id = (int)chosen[r];
                tokens[r].Add(id);
                if (id == CharTokenizer.EndOfText) { finished[r] = true; continue; }
                texts[r].Append(CharTokenizer.Decode([id]));
                finished[r] = EndsWithStop(texts[r]);
            }
            if (finished.All(f => f) || step == limit - 1) break;
            if (cache is not null)
            {
                logits = _model.Decode(next.unsqueeze(1), cache, promptLength + step).select(1, -1).MoveToOuterDisposeScope();
                continue;
            }
            sequence = cat([sequence, next.unsqueeze(1)], 1).MoveToOuterDisposeScope();
            logits = _model.forward(sequence).select(1, -1).MoveToOuterDisposeScope();
        }
        return [.. Enumerable.Range(0, rows).Select(r =>
            new SampledCompletion(texts[r].ToString(), tokens[r].Count, !finished[r]) { Tokens = tokens[r].ToArray() })];
    }

    private bool EndsWithStop(StringBuilder text)
    {
        if (_stop.Length == 0 || text.Length < _stop.Length) return false;
        for (var i = 0; i < _stop.Length; i++)
            if (text[text.Length - _stop.Length + i] != _stop[i]) return false;
        return true;
    }

    private void LoadWeights(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"Policy 'tiny-gpt': weights file '{file}' does not exist.", file);
        try
        {
            _model.load(file);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"Policy 'tiny-gpt': weights file '{file}' does not fit a model with {_model.Shape.Layers} layers, width {_model.Shape.Width}, {_model.Shape.Heads} heads, context {_model.Shape.Context}: {e.Message}", e);
        }
    }
}
