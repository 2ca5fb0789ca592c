using Harness.Abstractions;

namespace Harness.Plugins.Fixes;

/// <summary>
/// The repetition penalty of CTRL (Keskar et al., 2019) as a sampling fix: the logit of a token that would
/// repeat is divided by <c>penalty</c> when positive and multiplied by it when negative (1 turns it off;
/// 1.2 is the usual value). With <c>ngram</c> = 1, the usual form, every token already in the completion
/// repeats; with <c>ngram</c> = n, only a token that would complete an n-gram already in the completion does,
/// which suits character-level policies, where every letter recurs.
/// </summary>
[Plugin("repetition-penalty", Description = "CTRL repetition penalty on tokens that would repeat an n-gram of the completion (penalty 1.2, ngram 1)")]
public sealed class RepetitionPenalty : ILogitsProcessor
{
    private readonly double _penalty;
    private readonly int _context;

    public RepetitionPenalty(PluginSettings settings)
    {
        _penalty = settings.GetDouble("penalty", 1.2);
        if (!(_penalty >= 1) || double.IsInfinity(_penalty))
            throw new PluginSettingsException("repetition-penalty", "penalty", $"must be a finite number of at least 1, got {_penalty}");
        var ngram = settings.GetInt("ngram", 1);
        if (ngram < 1) throw new PluginSettingsException("repetition-penalty", "ngram", $"must be at least 1, got {ngram}");
        _context = ngram - 1;
    }

    public void Process(ReadOnlySpan<int> generated, Span<float> logits)
    {
        if (_penalty == 1 || generated.Length <= _context) return;
        var suffix = generated[^_context..];
        var penalised = new bool[logits.Length];
        // Every earlier position whose preceding tokens equal the completion's last (ngram − 1) tokens names a token that would repeat.
        for (var i = _context; i < generated.Length; i++)
        {
            var token = generated[i];
            if (token < 0 || token >= logits.Length || penalised[token] || !generated.Slice(i - _context, _context).SequenceEqual(suffix)) continue;
            penalised[token] = true;
            logits[token] = logits[token] > 0 ? (float)(logits[token] / _penalty) : (float)(logits[token] * _penalty);
        }
    }
}
