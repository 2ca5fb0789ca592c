using System.Diagnostics;
using Harness.Abstractions;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Grpo;
using Harness.Runs;
using Harness.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>What one GRPO step produced.</summary>
/// <param name="Fixes">What each fix strategy that acted did, as text.</param>
public sealed record StepOutcome(StepMetrics Metrics, IReadOnlyList<CompletionRecord> Samples, IReadOnlyList<FixEvent> Fixes);

/// <summary>A fix strategy acted after a step.</summary>
public sealed record FixEvent(int Step, string Plugin, string Reason, double LearningRate, double Beta);

/// <summary>
/// One GRPO step: sample G completions per prompt → every reward term → advantages → detectors →
/// old and reference log-probs → μ epochs of the clipped surrogate + β·KL, aggregated as configured →
/// AdamW with gradient clipping and the learning-rate schedule → fix strategies review the metrics.
/// A policy that only samples (replay) makes a scoring run: every step up to the detectors, no update, and
/// none of the update's metrics.
/// </summary>
public sealed class GrpoTrainer : IDisposable
{
    private readonly ExperimentConfig _config;
    private readonly string _policyName;
    private readonly IPolicy _policy;
    private readonly ITrainablePolicy? _trainable;
    private readonly ITrainablePolicy? _reference;
    private readonly RewardScorer _scorer;
    private readonly IReadOnlyList<PluginHandle<IDetector>> _detectors;
    private readonly IReadOnlyList<PluginHandle<IFixStrategy>> _fixes;
    private readonly IReadOnlyList<ILogitsProcessor> _samplingFixes;
    private readonly TaskSet _tasks;
    private readonly UpdateSettings _update;
    private readonly ModelUpdater? _updater;
    private readonly AdvantageOptions _advantages;
    private readonly PolicyLossOptions _loss;
    private readonly Evaluator _evaluator;
    private readonly HashSet<string> _warned = [];

    /// <param name="createReference">Makes a fresh instance of the policy plugin, to become the frozen reference.</param>
    public GrpoTrainer(ExperimentConfig config, ExperimentPlugins plugins, Func<IPolicy> createReference, TaskSet tasks, Device device, Action<string> warn)
    {
        _config = config;
        _policyName = config.Policy!.Name;
        _policy = plugins.Policy;
        _trainable = plugins.Policy as ITrainablePolicy;
        _trainable?.Model.to(device);
        // A fix strategy may raise β mid-run, so a reference is kept whenever one is configured.
        if (_trainable is not null && (config.Grpo.Beta > 0 || plugins.Fixes.Count > 0))
        {
            _reference = Trainable(createReference(), _policyName);
            _reference.Model.to(device);
            CopyWeights(_trainable.Model, _reference.Model);
            _reference.Model.eval();
            foreach (var parameter in _reference.Model.parameters()) parameter.requires_grad = false;
        }
        _scorer = new RewardScorer(plugins.Rewards, config.Answer.Reader());
        _detectors = plugins.Detectors;
        _fixes = plugins.Fixes;
        _samplingFixes = [.. plugins.SamplingFixes.Select(f => f.Processor)];
        _tasks = tasks;
        Warn = warn;
        _update = UpdateSettings.Of(config.Optimizer, config.Run.Steps);
        _updater = _trainable is null ? null : new ModelUpdater(_trainable.Model, _update);
        var g = config.Grpo;
        _advantages = new AdvantageOptions(g.AdvantageScale, g.Std, g.AdvantageEstimator);
        _loss = new PolicyLossOptions(g.LossAggregation, g.ClipLow, g.ClipHigh, g.Beta, g.Kl, g.NormLength > 0 ? g.NormLength : config.Sampling.MaxNewTokens,
            g.PolicyLoss, g.SequenceClipLow, g.SequenceClipHigh);
        _evaluator = new Evaluator(_policy, _scorer, config.Run.PassTerm, config.Sampling.MaxNewTokens);
        Beta = g.Beta;
    }

    private Action<string> Warn { get; }

    /// <summary>The policy being trained; null for a scoring run.</summary>
    public ITrainablePolicy? Policy => _trainable;

    /// <summary>The optimizer; null in a scoring run.</summary>
    public FlatAdamW? Optimizer => _updater?.Optimizer;

    /// <summary>Multiplies the scheduled learning rate; fix strategies change it.</summary>
    public double LearningRateScale { get; set; } = 1;

    /// <summary>The KL weight in force; fix strategies change it.</summary>
    public double Beta { get; set; }

    public double LearningRateAt(int step) =>
        LearningRateScale * LearningRates.At(_update, step);

    /// <summary>Whether 1-based <paramref name="step"/> evaluates pass@1 (before its update): the first, every evalEvery-th after it, and the last.</summary>
    public bool IsEvaluationStep(int step) => step == 1 || (step - 1) % _config.Run.EvalEvery == 0 || step == _config.Run.Steps;

    /// <summary>
    /// One GRPO step. A stop request abandons it at the next point before the update (after the evaluation, the
    /// rollouts or the scoring) with <see cref="OperationCanceledException"/>, leaving the weights of the step before;
    /// once the update begins the step finishes.
    /// </summary>
    public StepOutcome Step(int step, CancellationToken stop = default)
    {
        var clock = Stopwatch.StartNew();
        (double Easy, double Hard)? pass = null;
        if (IsEvaluationStep(step))
        {
            _trainable?.Model.eval();
            using (no_grad()) pass = (_evaluator.PassAtOne(_tasks.EvalEasy), _evaluator.PassAtOne(_tasks.EvalHard));
        }

        stop.ThrowIfCancellationRequested();
        var (tasks, groups, scored, rounds, drawn, sampling, scoring) = Rollout(step, stop);
        var flat = groups.SelectMany((group, g) => group.Select(c => (Group: g, Completion: c))).ToArray();

        scoring.Start();
        var advantages = Advantages.Compute(scored.Rewards, _advantages, [.. groups.Select(g => (IReadOnlyList<int>)[.. g.Select(c => Math.Max(1, c.TokenCount))])]);
        var flatAdvantages = advantages.Groups.SelectMany(g => g.Values).ToArray();
        var flatRewards = scored.Rewards.SelectMany(r => r).ToArray();
        var scoredCompletions = scored.Flatten(tasks, groups);
        var (detectorMetrics, flags) = Detect(step, tasks, scoredCompletions);
        scoring.Stop();
        var (samplingSeconds, scoringSeconds) = (sampling.Elapsed.TotalSeconds, scoring.Elapsed.TotalSeconds);
        stop.ThrowIfCancellationRequested();

        var update = _trainable is null ? null : Update(_trainable, tasks, flat.Select(c => c.Group).ToArray(), flat.Select(c => c.Completion).ToArray(), flatAdvantages, step);
        var metrics = StepMetricsAssembly.Of(new StepFacts(step, [.. flat.Select(c => c.Completion)], scored, advantages, _config.Run.PassTerm,
            _config.Grpo.DynamicSampling, rounds, drawn, update, detectorMetrics, pass, clock.Elapsed.TotalSeconds, samplingSeconds, scoringSeconds),
            name =>
            {
                if (_warned.Add(name)) Warn($"A detector reports '{name}', which the engine logs itself; the engine's value is kept.");
            });

        var samples = PickSamples(flat.Length).Select(i => new CompletionRecord(step, flat[i].Group, tasks[flat[i].Group].Prompt, flat[i].Completion.Text,
            flat[i].Completion.TokenCount, flat[i].Completion.Truncated, flatRewards[i], scoredCompletions[i].Terms, flatAdvantages[i], flags[i])
        { Answer = scoredCompletions[i].Reading?.Answer?.Text }).ToArray();
        return new StepOutcome(metrics, samples, Review(step, metrics));
    }

    /// <summary>The comparator's sample: the probe prompt (the first held-out hard problem) completed greedily and <c>run.probeSamples</c> times at the sampling temperature.</summary>
    public ProbeRecord? Probe(int step)
    {
        if (_tasks.EvalHard.Count == 0) return null;
        var task = _tasks.EvalHard[0];
        var s = _config.Sampling;
        _trainable?.Model.eval();
        var completions = new List<(SampledCompletion Completion, bool Greedy)>();
        using (no_grad())
        {
            completions.AddRange(_policy.Sample(new SamplingRequest([task.Prompt], 1, s.MaxNewTokens, 0, 1, 0))[0].Select(c => (c, true)));
            if (_config.Run.ProbeSamples > 0)
                completions.AddRange(_policy.Sample(new SamplingRequest([task.Prompt], _config.Run.ProbeSamples, s.MaxNewTokens, s.Temperature, s.TopP,
                    Seeds.For(_config.Seed, step, "probe")) { LogitsProcessors = _samplingFixes })[0].Select(c => (c, false)));
        }
        IReadOnlyList<IReadOnlyList<SampledCompletion>> group = [[.. completions.Select(c => c.Completion)]];
        var scored = _scorer.Score([task], group);
        var scoredCompletions = scored.Flatten([task], group);
        var input = _scorer.DetectorInput(step, [task], scoredCompletions);
        var findings = _detectors.Select(d => Detection.Run(d, input, $"on the probe at step {step}")).ToArray();
        // The final answer the answer format found is marked with the detectors' findings, for the report.
        FindingSpan[] Answer(int i) => scoredCompletions[i].Reading?.Answer is { } answer ? [new FindingSpan(answer.Span.Start, answer.Span.Length, "answer")] : [];
        return new ProbeRecord(step, task.Prompt, task.Gold, [.. completions.Select((c, i) => new ProbeCompletion(c.Completion.Text, c.Greedy, scored.Rewards[0][i],
            [.. findings.SelectMany(f => f.Completions[i].Flags).Distinct()], [.. findings.SelectMany(f => f.Completions[i].Spans).Concat(Answer(i)).OrderBy(x => x.Start)]))]);
    }

    private sealed record RolloutResult(IReadOnlyList<TaskItem> Tasks, IReadOnlyList<IReadOnlyList<SampledCompletion>> Groups, ScoredBatch Scored,
        int Rounds, int Drawn, Stopwatch Sampling, Stopwatch Scoring);

    /// <summary>
    /// Draws the step's prompts, samples and scores them (with the overlong term when configured). With dynamic sampling,
    /// groups whose rewards are all equal are dropped and further prompts drawn, up to <c>grpo.maxSamplingRounds</c> draws.
    /// </summary>
    private RolloutResult Rollout(int step, CancellationToken stop)
    {
        var g = _config.Grpo;
        var (sampling, scoring) = (new Stopwatch(), new Stopwatch());
        var tasks = new List<TaskItem>();
        var groups = new List<IReadOnlyList<SampledCompletion>>();
        var batches = new List<ScoredBatch>();
        for (var round = 0; ; round++)
        {
            var drawn = _tasks.TrainingBatch(step, g.PromptsPerStep, round);
            sampling.Start();
            var sampled = Sample(step, drawn, round);
            sampling.Stop();
            stop.ThrowIfCancellationRequested();
            scoring.Start();
            batches.Add(WithOverlong(_scorer.Score(drawn, sampled), sampled));
            scoring.Stop();
            tasks.AddRange(drawn);
            groups.AddRange(sampled);
            var kept = g.DynamicSampling
                ? DynamicSampling.Keep([.. batches.SelectMany(b => b.Rewards)], g.PromptsPerStep, round + 1 >= g.MaxSamplingRounds)
                : [.. Enumerable.Range(0, drawn.Count)];
            if (kept is not null)
                return new RolloutResult([.. kept.Select(k => tasks[k])], [.. kept.Select(k => groups[k])], ScoredBatch.Join(batches, kept), round + 1, tasks.Count, sampling, scoring);
        }
    }

    private ScoredBatch WithOverlong(ScoredBatch scored, IReadOnlyList<IReadOnlyList<SampledCompletion>> groups)
    {
        var g = _config.Grpo;
        if (g.OverlongBuffer == 0) return scored;
        var limit = _config.Sampling.MaxNewTokens;
        return scored.WithTerm(OverlongShaping.Term, [.. groups.Select(group => group.Select(c => OverlongShaping.Penalty(c.TokenCount, limit, g.OverlongBuffer, g.OverlongPenalty)).ToArray())], 1.0);
    }

    private IReadOnlyList<IReadOnlyList<SampledCompletion>> Sample(int step, IReadOnlyList<TaskItem> tasks, int round)
    {
        _trainable?.Model.eval();
        var s = _config.Sampling;
        IReadOnlyList<IReadOnlyList<SampledCompletion>> groups;
        using (no_grad())
        {
            try
            {
                groups = _policy.Sample(new SamplingRequest([.. tasks.Select(t => t.Prompt)], _config.Grpo.GroupSize, s.MaxNewTokens, s.Temperature, s.TopP,
                    Seeds.For(_config.Seed, step, round == 0 ? "sampling" : $"sampling-{round}")) { LogitsProcessors = _samplingFixes });
            }
            catch (Exception e) when (e is not HarnessException)
            {
                throw new HarnessException($"Policy '{_policyName}' failed to sample at step {step}: {e.Message}", e);
            }
        }
        if (groups.Count != tasks.Count || groups.Any(g => g.Count != _config.Grpo.GroupSize))
            throw new HarnessException($"Policy '{_policyName}' returned {groups.Count} groups of sizes {string.Join(",", groups.Select(g => g.Count))} for {tasks.Count} prompts of {_config.Grpo.GroupSize}.");
        foreach (var completion in groups.SelectMany(g => g))
            if (_trainable is not null && completion.Tokens.Count == 0)
                throw new HarnessException($"Policy '{_policyName}' returned a completion without tokens (\"{completion.Text}\"); a trainable policy must fill SampledCompletion.Tokens.");
        return groups;
    }

    private (Dictionary<string, double> Metrics, IReadOnlyList<string>[] Flags) Detect(int step, IReadOnlyList<TaskItem> tasks, ScoredCompletion[] completions) =>
        Detection.RunAll(_detectors, _scorer.DetectorInput(step, tasks, completions), $"at step {step}");

    private UpdateStats Update(ITrainablePolicy policy, IReadOnlyList<TaskItem> tasks, int[] groupOf, SampledCompletion[] completions, double[] advantages, int step)
    {
        var updater = _updater!;
        var lengths = completions.Select(c => c.Tokens.Count).ToArray();
        // Truncation masking leaves a truncated completion's tokens out of the loss (length 0), not out of the advantages.
        var lossLengths = completions.Select(c => _config.Grpo.MaskTruncated && c.Truncated ? 0 : c.Tokens.Count).ToArray();
        var epochs = _config.Grpo.Epochs;
        var learningRate = LearningRateAt(step);
        var options = _loss with { Beta = Beta };
        // Micro-batches of completions of similar length (no more than grpo.microBatch each), each scored and
        // back-propagated alone, gradients summed before one optimizer step.
        var parts = LengthBatches.Split(lengths, _config.Grpo.MicroBatch > 0 ? _config.Grpo.MicroBatch : completions.Length)
            .Select(rows => (Rows: rows, Request: new ScoringRequest([.. rows.Select(i => tasks[groupOf[i]].Prompt)], [.. rows.Select(i => completions[i].Tokens)])))
            .ToArray();
        var tokens = (double)lengths.Sum();

        using var scope = NewDisposeScope();
        var backward = Stopwatch.StartNew();
        var optimizer = new Stopwatch();
        var old = new Tensor?[parts.Length];
        var reference = new Tensor?[parts.Length];
        using (no_grad())
        {
            policy.Model.eval();
            for (var k = 0; k < parts.Length; k++)
            {
                if (epochs > 1) old[k] = PolicyCalls.Score(policy, _policyName, parts[k].Request, $"at step {step}").LogProbs;
                if (_reference is not null) reference[k] = PolicyCalls.Score(_reference, _policyName, parts[k].Request, $"at step {step} (reference)").LogProbs;
            }
        }
        policy.Model.train();
        double loss = 0, clipFraction = 0, gradNorm = 0, entropy = 0;
        double? kl = null;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            updater.ZeroGradients();
            double epochLoss = 0, epochClip = 0, epochKl = 0;
            for (var k = 0; k < parts.Length; k++)
            {
                using var partScope = NewDisposeScope();
                var (rows, request) = parts[k];
                var share = request.Tokens.Sum(t => t.Count) / tokens;
                var scores = PolicyCalls.Score(policy, _policyName, request, $"at step {step}");
                if (epoch == 0)
                {
                    var mask = PolicyLoss.Mask([.. rows.Select(i => lengths[i])], scores.LogProbs.shape[1], scores.LogProbs.device);
                    entropy += (scores.Entropy.detach() * mask).sum().item<float>() / tokens;
                }
                // With one epoch the sampling policy is the current one: ratio 1, as TRL and verl do.
                var result = PolicyLoss.Compute(scores.LogProbs, old[k] ?? scores.LogProbs.detach(), reference[k], advantages, lossLengths, options, rows);
                var value = ModelUpdater.Checked(result.Loss, $"Step {step}", "lower optimizer.learningRate or check the rewards");
                result.Loss.backward();
                epochLoss += value;
                epochClip += result.ClipFraction * share;
                epochKl += (result.Kl ?? 0) * share;
                if (epoch == 0 && result.Kl is not null) kl = epochKl;
            }
            backward.Stop();
            optimizer.Start();
            var norm = updater.Apply(learningRate);
            optimizer.Stop();
            backward.Start();
            loss += epochLoss / epochs;
            clipFraction += epochClip / epochs;
            gradNorm += norm / epochs;
        }
        backward.Stop();
        return new UpdateStats(loss, kl, clipFraction, entropy, gradNorm, learningRate, Beta, backward.Elapsed.TotalSeconds, optimizer.Elapsed.TotalSeconds);
    }

    private IEnumerable<int> PickSamples(int count)
    {
        var wanted = Math.Min(_config.Run.SamplesPerStep, count);
        return Enumerable.Range(0, wanted).Select(k => k * count / wanted);
    }

    private IReadOnlyList<FixEvent> Review(int step, StepMetrics metrics)
    {
        var events = new List<FixEvent>();
        foreach (var fix in _fixes)
        {
            var learningRate = LearningRateAt(step);
            var call = $"Review after step {step}";
            var decision = fix.Call(call, f => f.Review(new StepReview(step, metrics.Numbers(), learningRate, Beta)), mayReturnNull: true);
            if (decision is null) continue;
            if (decision.LearningRate is { } asked && !(asked > 0 && double.IsFinite(asked)))
                throw fix.Fault(call, FormattableString.Invariant($"asked for learning rate {asked}; it must be a positive number"));
            if (decision.Beta is { } askedBeta && !(askedBeta >= 0 && double.IsFinite(askedBeta)))
                throw fix.Fault(call, FormattableString.Invariant($"asked for β {askedBeta}; it must be 0 or more"));
            if (decision.LearningRate is { } lr) LearningRateScale = lr / Math.Max(learningRate / LearningRateScale, double.Epsilon);
            if (decision.Beta is { } beta) Beta = beta;
            events.Add(new FixEvent(step, fix.Name, decision.Reason, LearningRateAt(step), Beta));
        }
        return events;
    }

    private static ITrainablePolicy Trainable(IPolicy policy, string name) => policy as ITrainablePolicy
        ?? throw new HarnessException($"Policy '{name}' cannot serve as a reference: it samples but does not implement ITrainablePolicy (log-probs and a model).");

    private static void CopyWeights(nn.Module from, nn.Module to)
    {
        using var noGrad = no_grad();
        var source = from.state_dict();
        foreach (var (name, target) in to.state_dict()) target.copy_(source[name]);
    }

    public void Dispose()
    {
        _updater?.Dispose();
        _trainable?.Model.Dispose();
        _reference?.Model.Dispose();
    }
}
