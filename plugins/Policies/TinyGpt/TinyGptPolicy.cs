using System.Runtime.Intrinsics;
using Harness.Abstractions;
using Harness.Plugins.Policies.Decoding;
using Harness.Plugins.Policies.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.TinyGpt;

/// <summary>
/// A character-level GPT trained by the harness. Settings: <c>layers</c> (3), <c>width</c> (96), <c>heads</c> (4),
/// <c>context</c> (160), <c>init_seed</c> (1), <c>weights</c> (a file saved by a run or by pretraining, to
/// start from) and <c>kv_cache</c> (true; false recomputes the whole sequence per token, for benchmarks and
/// checks), <c>decoder</c> (auto: sampling on the CPU runs <see cref="GptHostDecoder"/>, elsewhere libtorch; host or
/// libtorch force one) and <c>stop</c> (<c>&lt;/answer&gt;</c>: generation also stops after this text; <c>none</c> stops only at
/// the end-of-text token or the token limit, so a policy may write on after its answer block).
/// </summary>
[Plugin("tiny-gpt", Description = "character-level GPT on TorchSharp (settings: layers, width, heads, context, init_seed, weights, kv_cache, decoder, stop)", PathSettings = ["weights"])]
public sealed class TinyGptPolicy : ITextPolicy
{
    private readonly GptModel _model;
    private readonly string _stop;
    private readonly bool _useCache;
    private readonly string _decoder;
    private readonly CompletionText _text;

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
        _decoder = settings.GetString("decoder", "auto") switch
        {
            var name when name is "auto" or "host" or "libtorch" => name,
            var other => throw new PluginSettingsException("tiny-gpt", "decoder", $"must be auto, host or libtorch, got '{other}'"),
        };
        _text = new CompletionText(id => id == CharTokenizer.EndOfText, CharTokenizer.Decode, _stop, TokensPerCharacter: 1);
        var weights = settings.GetString("weights", "");
        if (weights.Length > 0) LoadWeights(weights);
    }

    public nn.Module Model => _model;

    public IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request)
    {
        var device = _model.parameters().First().device;
        var host = _useCache && _decoder switch
        {
            "host" => true,
            "libtorch" => false,
            _ => device.type == DeviceType.CPU && Vector256.IsHardwareAccelerated,
        };
        var weights = host ? GptHostDecoder.Weights.Of(_model) : null;
        return LengthBuckets.Sample(request, [.. request.Prompts.Select(CharTokenizer.EncodePrompt)], (prompts, rows, _) =>
        {
            var promptLength = prompts[0].Length;
            var limit = Math.Min(request.MaxNewTokens, _model.Shape.Context - promptLength);
            if (limit <= 0)
                throw new ArgumentException($"Policy 'tiny-gpt': prompt \"{CharTokenizer.Decode(prompts[0].Skip(1))}\" has {promptLength} tokens, leaving no room in the context of {_model.Shape.Context}.");
            // The host decoder's rows are independent, so they are dealt to as many workers as libtorch has threads.
            return Autoregression.Run(prompts, rows, request, limit, _text, count => host ? new GptHostDecoder(weights!, count) : LibTorchDecoder(count, device),
                host ? get_num_threads() : 1);
        });
    }

    private TorchRowDecoder LibTorchDecoder(int rows, Device device)
    {
        var s = _model.Shape;
        return new TorchRowDecoder(CharTokenizer.VocabularySize, device, (ids, cache, start) => _model.Decode(ids, cache, start).select(1, -1),
            _useCache ? new KvCache(s.Layers, rows, s.Heads, s.Context, s.HeadWidth, device) : null);
    }

    public IReadOnlyList<int> Tokenize(string document) => [.. CharTokenizer.Encode(document), CharTokenizer.EndOfText];

    public TokenScores Score(ScoringRequest request)
    {
        var batch = new PaddedBatch("tiny-gpt", [.. request.Prompts.Select(CharTokenizer.EncodePrompt)], request.Tokens);
        if (batch.Length > _model.Shape.Context)
            throw new ArgumentException($"Policy 'tiny-gpt': a prompt with its completion has {batch.Length} tokens, more than the context of {_model.Shape.Context}.");
        // A vocabulary of 97 keeps every position's softmax in one chunk.
        return batch.Score(ids => _model.Hidden(ids, null, 0), _model.HeadWeight, CharTokenizer.VocabularySize, Math.Max(1, batch.Positions), recompute: false);
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
