using Harness.Abstractions;
using Harness.Plugins.Policies.Decoding;
using Harness.Plugins.Policies.HuggingFace.Tokenizer;
using Harness.Plugins.Policies.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// A Hugging Face causal LM (Qwen2, Llama, Mistral, Qwen3) as a trainable policy. Settings: <c>model</c> (a Hugging
/// Face folder), or <c>config</c> and <c>tokenizer</c> (a config.json and a tokenizer.json, for a model built from
/// scratch with <c>init_seed</c>, as pretraining does); <c>dtype</c> (float32 or bfloat16); <c>template</c> (none,
/// r1-zero, qwen-math or chatml) or <c>template_file</c>; <c>stop</c> (<c>&lt;/answer&gt;</c>, or none: a \boxed{} template
/// has no closing tag to stop at); <c>gradient_checkpointing</c>
/// (false); <c>score_chunk</c> (positions whose vocabulary logits are made at once when scoring, 256); <c>recompute_head</c>
/// (auto: the softmax is kept for the backward pass when it takes at most <see cref="TokenScoring.KeptSoftmaxLimit"/>
/// bytes, else each chunk's logits are made again; true or false forces one way).
/// </summary>
[Plugin("hf-causal-lm", Description = "Hugging Face Qwen2/Llama/Mistral/Qwen3 folder on TorchSharp (settings: model | config + tokenizer, dtype, template, template_file, stop, gradient_checkpointing, score_chunk, recompute_head, init_seed)",
    PathSettings = ["model", "config", "tokenizer", "template_file"])]
public sealed class HfCausalLmPolicy : IVocabularyLearner, IExportablePolicy, IMemoryFootprint
{
    private const string Name = "hf-causal-lm";
    private readonly bool _learnsVocabulary;
    private HfFolder _folder;
    private readonly HfDecoder _model;
    private readonly PromptTemplate _template;
    private readonly string _stop;
    private readonly int _scoreChunk;
    private readonly bool? _recomputeHead;
    private int[] _start;

    public HfCausalLmPolicy(PluginSettings settings)
    {
        var (model, config, tokenizer) = (settings.GetString("model", ""), settings.GetString("config", ""), settings.GetString("tokenizer", ""));
        if (model.Length > 0 && (config.Length > 0 || tokenizer.Length > 0))
            throw new PluginSettingsException(Name, "model", "is set together with config or tokenizer; set model (a Hugging Face folder) or both config and tokenizer (a model built from scratch)");
        if (model.Length == 0 && config.Length == 0)
            throw new PluginSettingsException(Name, "model", "is not set; set model (a Hugging Face folder), or config (a model built from scratch, with a tokenizer file or one learned in pretraining)");
        var type = settings.GetString("dtype", "float32") switch
        {
            "float32" => ScalarType.Float32,
            "bfloat16" => ScalarType.BFloat16,
            var other => throw new PluginSettingsException(Name, "dtype", $"must be float32 or bfloat16, got '{other}'"),
        };
        var templateFile = settings.GetString("template_file", "");
        var templateName = settings.GetString("template", "r1-zero");
        _template = templateFile.Length > 0 ? Wrap("template_file", () => PromptTemplate.FromFile(templateFile))
            : PromptTemplate.Named(templateName) ?? throw new PluginSettingsException(Name, "template", $"must be one of {PromptTemplate.Names} (or set template_file), got '{templateName}'");
        _stop = settings.GetString("stop", "</answer>") switch
        {
            "none" => "",
            "" => throw new PluginSettingsException(Name, "stop", "is empty; write 'none' to stop only at the end-of-sequence token"),
            var text => text,
        };
        _scoreChunk = settings.GetInt("score_chunk", 256);
        if (_scoreChunk <= 0) throw new PluginSettingsException(Name, "score_chunk", $"must be a positive number of positions, got {_scoreChunk}");
        _recomputeHead = settings.GetString("recompute_head", "auto") switch
        {
            "auto" => null,
            "true" => true,
            "false" => false,
            var other => throw new PluginSettingsException(Name, "recompute_head", $"must be auto, true or false, got '{other}'"),
        };

        _folder = model.Length > 0 ? Wrap("model", () => HfFolder.Open(model))
            : Wrap("config", () => HfFolder.FromFiles(config, tokenizer.Length > 0 ? Wrap("tokenizer", () => HfTokenizer.Read(tokenizer)) : BytesOnly()));
        torch.manual_seed(settings.GetInt("init_seed", 1));
        _model = new HfDecoder(_folder.Config);
        if (model.Length == 0) InitializeWeights(_model);
        _model.to(type);
        if (model.Length > 0) Wrap("model", () => HfWeights.Load(_model, model));
        _model.GradientCheckpointing = Flag(settings, "gradient_checkpointing", false);
        _learnsVocabulary = model.Length == 0 && tokenizer.Length == 0;
        _start = StartIds(_folder);
    }

    // A document or an empty prompt needs a first position to predict from: the tokenizer's BOS, else its EOS (as GPT-2 and Qwen separate documents).
    private static int[] StartIds(HfFolder folder) => folder.Tokenizer.Encode("", addSpecialTokens: true) is { Length: > 0 } bos ? bos : [folder.EosTokenIds[0]];

    // Until a vocabulary is learned, a model built from scratch without a tokenizer reads bytes.
    private static HfTokenizer BytesOnly() => HfTokenizer.FromJson("(byte-level tokenizer, no merges)", BpeTrainer.Train([], 256 + BpeTrainer.AddedCount));

    /// <summary>Learns a byte-level BPE filling the config's vocab_size, when the model is built from scratch without a tokenizer file.</summary>
    public string? LearnVocabulary(IReadOnlyList<string> documents)
    {
        if (!_learnsVocabulary) return null;
        var tokenizer = HfTokenizer.FromJson("(learned tokenizer.json)", BpeTrainer.Train(documents, _folder.Config.VocabSize));
        _folder = _folder.WithTokenizer(tokenizer);
        _start = StartIds(_folder);
        return $"learned a byte-level BPE of {tokenizer.VocabSize} tokens from {documents.Count} documents";
    }

    private static bool Flag(PluginSettings settings, string key, bool fallback) => settings.GetString(key, fallback ? "true" : "false") switch
    {
        "true" => true,
        "false" => false,
        var other => throw new PluginSettingsException(Name, key, $"must be true or false, got '{other}'"),
    };

    private static T Wrap<T>(string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new PluginSettingsException(Name, key, e.Message);
        }
    }

    private static void Wrap(string key, Action read) => Wrap(key, () =>
    {
        read();
        return 0;
    });

    public nn.Module Model => _model;

    /// <summary>The model folder's tokenizer, config and end-of-sequence ids.</summary>
    public HfFolder Folder => _folder;

    /// <summary>The ids a prompt is sampled and scored after: the template applied, with the tokenizer's special tokens.</summary>
    public int[] PromptIds(string prompt) => prompt.Length == 0 ? _start : _folder.Tokenizer.Encode(_template.Apply(prompt), addSpecialTokens: true) switch
    {
        [] => _start,
        var ids => ids,
    };

    public IReadOnlyList<int> Tokenize(string document) => [.. _folder.Tokenizer.Encode(document), _folder.EosTokenIds[0]];

    public void Save(string folder) => _folder.Save(_model, folder);

    public void Load(string folder) => HfWeights.Load(_model, folder);

    public IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request) =>
        new HfSampler(_model, _folder, _stop).Sample(request, [.. request.Prompts.Select(PromptIds)]);

    public TokenScores Score(ScoringRequest request)
    {
        var prompts = new Dictionary<string, int[]>();
        var batch = new PaddedBatch(Name, [.. request.Prompts.Select(p => prompts.TryGetValue(p, out var ids) ? ids : prompts[p] = PromptIds(p))], request.Tokens);
        if (batch.Length > _folder.Config.MaxPositions)
            throw new ArgumentException($"Policy '{Name}': a prompt with its completion has {batch.Length} tokens, more than max_position_embeddings ({_folder.Config.MaxPositions}) in {_folder.ConfigPath}.");
        // Ids past the tokenizer's vocabulary pad the embedding (Qwen: 151 936 rows for 151 669 ids): never a choice.
        return batch.Score(ids => _model.Hidden(ids, null, 0), _model.HeadWeight, _folder.Tokenizer.VocabSize, _scoreChunk, RecomputesHead(batch.Positions));
    }

    /// <summary>
    /// Per token and layer, the tensors autograd keeps: the norms' inputs and float32 statistics, q/k/v before and after
    /// rotation, the attention probabilities (one row of the sequence per head), the attention and MLP projections'
    /// inputs and the SwiGLU's four intermediate-width tensors. With gradient checkpointing only each block's input is
    /// kept, plus one block's tensors while it is recomputed. The vocabulary head adds its float32 buffers (<see cref="TokenScoring.HeldBytes"/>).
    /// </summary>
    public long ActivationBytes(int sequences, string prompt, int completionTokens)
    {
        var c = _folder.Config;
        long element = _model.parameters().First().element_size();
        long tokens = PromptIds(prompt).Length + completionTokens;
        long kv = c.KeyValueHeads * c.HeadDim, q = c.Heads * c.HeadDim;
        var perTokenLayer = element * (6L * c.HiddenSize + 3 * q + 4 * kv + 4L * c.IntermediateSize + c.Heads * tokens) + 4L * 2 * c.HiddenSize;
        var layers = _model.GradientCheckpointing ? element * c.HiddenSize * c.Layers + perTokenLayer : perTokenLayer * c.Layers;
        var positions = sequences * completionTokens;
        var head = TokenScoring.HeldBytes(positions, _folder.Tokenizer.VocabSize, _scoreChunk, RecomputesHead(positions));
        return sequences * tokens * (layers + element * c.HiddenSize * 2) + head;
    }

    private bool RecomputesHead(long positions) => _recomputeHead ?? !TokenScoring.KeepsSoftmax(positions, _folder.Tokenizer.VocabSize);

    // A model built from scratch starts as the checkpoints' own code initialises one: normal(0, 0.02) weights, zero biases, unit norms.
    private static void InitializeWeights(HfDecoder model)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) parameter.fill_(1);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0, 0.02);
        }
    }
}
