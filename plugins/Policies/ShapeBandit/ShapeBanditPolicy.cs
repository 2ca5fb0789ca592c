using System.Globalization;
using Harness.Abstractions;
using Harness.Pretraining;
using Harness.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Plugins.Policies.ShapeBandit;

/// <summary>
/// A non-neural policy for addition prompts: a softmax over <see cref="ResponseShape"/>s with one row of
/// learnable logits per carry count (0, 1, 2, 3 or more). The chosen shape is its single token. A direct
/// answer is right with probability <c>direct_accuracy</c>^carries (capacity: every carry is a chance to
/// slip); a real re-check is right with probability <c>recheck_accuracy</c> whatever the carries; a ritual
/// re-check answers with the guess. It trains in milliseconds, so the seed's feedback loop can be run and
/// tested fast. Settings: <c>initial_rates</c> ("0.90,0.05,0.05": direct, recheck, ritual),
/// <c>direct_accuracy</c> (0.6), <c>recheck_accuracy</c> (0.95).
/// </summary>
[Plugin("shape-bandit", Description = "softmax over answer shapes per carry count, rendered as text (settings: initial_rates, direct_accuracy, recheck_accuracy)")]
public sealed class ShapeBanditPolicy : ITrainablePolicy
{
    private const int CarryBuckets = 4;
    private readonly ShapeLogits _model;
    private readonly double _directAccuracy;
    private readonly double _recheckAccuracy;

    public ShapeBanditPolicy(PluginSettings settings)
    {
        _directAccuracy = Probability(settings, "direct_accuracy", 0.6);
        _recheckAccuracy = Probability(settings, "recheck_accuracy", 0.95);
        var rates = InitialRates(settings.GetString("initial_rates", "0.90,0.05,0.05"));
        var row = rates.Select(r => (float)Math.Log(r)).ToArray();
        _model = new ShapeLogits(tensor(Enumerable.Repeat(row, CarryBuckets).SelectMany(r => r).ToArray(), [CarryBuckets, row.Length]));
    }

    public nn.Module Model => _model;

    public IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(SamplingRequest request)
    {
        var random = new Random(unchecked((int)request.Seed ^ (int)(request.Seed >> 32)));
        return [.. request.Prompts.Select(prompt =>
        {
            var operands = OperandsOf(prompt);
            var carries = ColumnAddition.Carries(operands);
            var probabilities = ShapeProbabilities(carries, request.Temperature);
            return (IReadOnlyList<SampledCompletion>)[.. Enumerable.Range(0, request.GroupSize).Select(_ =>
            {
                var shape = Pick(probabilities, random, request.Temperature);
                var sum = operands.Sum();
                var guess = random.NextDouble() < Math.Pow(_directAccuracy, carries) ? sum : sum - 10;
                var recheck = random.NextDouble() < _recheckAccuracy ? sum : sum + 10;
                var text = ResponseShapes.Render(ResponseShapes.All[shape], operands, guess, recheck);
                return new SampledCompletion(text, text.Length, false) { Tokens = [shape] };
            })];
        })];
    }

    public TokenScores Score(ScoringRequest request)
    {
        using var scope = NewDisposeScope();
        var buckets = request.Prompts.Select(p => (long)Bucket(ColumnAddition.Carries(OperandsOf(p)))).ToArray();
        var shapes = request.Tokens.Select(t => t.Count == 1 ? (long)t[0] : throw new ArgumentException(
            $"Policy 'shape-bandit': a completion has {t.Count} tokens; its completions have exactly one, the shape.")).ToArray();
        var logProbsAll = nn.functional.log_softmax(_model.Logits.index_select(0, tensor(buckets, device: _model.Logits.device)), -1);
        var logProbs = logProbsAll.gather(1, tensor(shapes, device: _model.Logits.device).unsqueeze(-1));
        var entropy = -(logProbsAll.exp() * logProbsAll).sum(-1, keepdim: true);
        return new TokenScores(logProbs.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope());
    }

    private double[] ShapeProbabilities(int carries, double temperature)
    {
        using var noGrad = no_grad();
        var logits = _model.Logits[Bucket(carries)] / Math.Max(temperature, 1e-6);
        using var probabilities = nn.functional.softmax(logits, 0).cpu();
        return [.. probabilities.data<float>().ToArray().Select(p => (double)p)];
    }

    private static int Pick(double[] probabilities, Random random, double temperature)
    {
        if (temperature <= 0) return Array.IndexOf(probabilities, probabilities.Max());
        var u = random.NextDouble();
        for (var i = 0; i < probabilities.Length - 1; i++)
            if ((u -= probabilities[i]) < 0) return i;
        return probabilities.Length - 1;
    }

    private static int Bucket(int carries) => Math.Min(carries, CarryBuckets - 1);

    private static long[] OperandsOf(string prompt) => ColumnAddition.Operands(prompt)
        ?? throw new ArgumentException($"Policy 'shape-bandit': prompt \"{prompt}\" is not an addition of the form \"What is 17 + 26?\".");

    private static double Probability(PluginSettings settings, string key, double fallback)
    {
        var value = settings.GetDouble(key, fallback);
        return value is >= 0 and <= 1 ? value : throw new PluginSettingsException("shape-bandit", key, $"must be between 0 and 1, got {value}");
    }

    private static double[] InitialRates(string text)
    {
        var parts = text.Split(',');
        var rates = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) ? r : -1).ToArray();
        if (rates.Length != ResponseShapes.All.Count || rates.Any(r => r <= 0))
            throw new PluginSettingsException("shape-bandit", "initial_rates",
                $"must be {ResponseShapes.All.Count} positive numbers for {string.Join(", ", ResponseShapes.All.Select(ResponseShapes.Name))}, got '{text}'");
        return [.. rates.Select(r => r / rates.Sum())];
    }

    /// <summary>The bandit's only parameters: logits [carry bucket, shape].</summary>
    private sealed class ShapeLogits : nn.Module
    {
        public ShapeLogits(Tensor initial) : base("shape_bandit")
        {
            Logits = nn.Parameter(initial);
            register_parameter("logits", (TorchSharp.Modules.Parameter)Logits);
        }

        public Tensor Logits { get; }
    }
}
