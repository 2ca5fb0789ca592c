using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Grpo;
using static TorchSharp.torch;

namespace Harness.Tests.Property;

/// <summary>The identities that tie the GRPO variants together, over generated batches.</summary>
public class VariantProperties
{
    private const int Cases = 2000;
    private const int TorchCases = 300;

    private static bool Close(double a, double b, double tolerance = 1e-9) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static Arbitrary<(double[][] Batch, int[][] Lengths)> BatchWithLengths =>
        (from b in Generators.Batch
         from flat in Gen.ArrayOf(Gen.Choose(1, 300), b.Sum(g => g.Length))
         select (b, b.Select((g, k) => flat.Skip(b.Take(k).Sum(x => x.Length)).Take(g.Length).ToArray()).ToArray())).ToArbitrary();

    [Property(MaxTest = Cases)]
    public FsCheck.Property Rloo_advantages_sum_to_zero_in_every_group_of_two_or_more() =>
        Prop.ForAll(Generators.Batch.ToArbitrary(), batch =>
            Advantages.Compute(batch, new AdvantageOptions(Estimator: AdvantageEstimator.Rloo)).Groups
                .Where(g => g.Values.Count > 1).All(g => Math.Abs(g.Values.Sum()) <= 1e-9 * Math.Max(1, g.Values.Sum(Math.Abs))));

    [Property(MaxTest = Cases)]
    public FsCheck.Property Rloo_is_the_reward_minus_the_others_mean_and_n_over_n_minus_1_times_unscaled_grpo() =>
        Prop.ForAll(Generators.Group.ToArbitrary(), rewards =>
        {
            var n = rewards.Length;
            var rloo = Advantages.ForGroup(rewards, new AdvantageOptions(Estimator: AdvantageEstimator.Rloo)).Values;
            if (n == 1) return rloo[0] == rewards[0];
            var drGrpo = Advantages.ForGroup(rewards, new AdvantageOptions(AdvantageScale.None)).Values;
            return Enumerable.Range(0, n).All(i =>
                Close(rloo[i], rewards[i] - (rewards.Sum() - rewards[i]) / (n - 1), 1e-9) && Close(rloo[i], n / (n - 1.0) * drGrpo[i], 1e-9));
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Reinforce_plus_plus_baseline_is_token_weighted_zero_mean_and_unit_variance() =>
        Prop.ForAll(BatchWithLengths, x =>
        {
            var (batch, lengths) = x;
            var values = Advantages.Compute(batch, new AdvantageOptions(Estimator: AdvantageEstimator.ReinforcePlusPlusBaseline),
                [.. lengths.Select(l => (IReadOnlyList<int>)l)]).Groups.SelectMany(g => g.Values).ToArray();
            var weights = lengths.SelectMany(l => l).Select(t => (double)t).ToArray();
            var tokens = weights.Sum();
            var mean = values.Select((a, i) => a * weights[i]).Sum() / tokens;
            var variance = values.Select((a, i) => weights[i] * (a - mean) * (a - mean)).Sum() / (tokens - 1);
            // The centred rewards' own spread: where it is far above verl's ε = 1e-8 the whitening is exact to float
            // precision; where it is not (every centred reward equal), ε decides and the advantages are near 0.
            var centred = batch.SelectMany(g => g.Length == 1 ? g : g.Select(r => Advantages.AllEqual(g) ? 0 : r - g.Average())).ToArray();
            var centredMean = centred.Select((c, i) => c * weights[i]).Sum() / tokens;
            var spread = centred.Select((c, i) => weights[i] * (c - centredMean) * (c - centredMean)).Sum() / Math.Max(1, tokens - 1);
            // ε shifts the variance by about ε/spread, relatively.
            return spread < 1e-6 ? values.All(a => Math.Abs(a) <= 1e-2 * Math.Max(1, centred.Max(Math.Abs)))
                : Math.Abs(mean) <= 1e-6 && Close(variance, 1, 1e-3 + 2e-8 / spread);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Reinforce_plus_plus_baseline_ignores_a_shift_of_one_groups_rewards() =>
        Prop.ForAll(BatchWithLengths, Gen.Choose(-50, 50).ToArbitrary(), (x, shift) =>
        {
            var (batch, lengths) = x;
            var options = new AdvantageOptions(Estimator: AdvantageEstimator.ReinforcePlusPlusBaseline);
            IReadOnlyList<IReadOnlyList<int>> l = [.. lengths.Select(g => (IReadOnlyList<int>)g)];
            // A group of one keeps its reward (no baseline), so only larger groups are shifted.
            var shifted = batch.Select(g => g.Length > 1 ? g.Select(r => r + shift).ToArray() : g).ToArray();
            var before = Advantages.Compute(batch, options, l).Groups.SelectMany(g => g.Values);
            var after = Advantages.Compute(shifted, options, l).Groups.SelectMany(g => g.Values);
            return before.Zip(after).All(p => Math.Abs(p.First - p.Second) <= 1e-6);
        });

    /// <summary>A batch for the surrogates: log-probs, advantages, positive lengths, and a per-sequence log-ratio.</summary>
    private static Arbitrary<(float[][] LogProbs, float[] Advantages, int[] Lengths, float[] LogRatio)> LossBatch =>
        (from n in Gen.Choose(1, 6)
         from t in Gen.Choose(1, 12)
         from logProbs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-4000, -1).Select(v => v / 1000f), t), n)
         from advantages in Gen.ArrayOf(Gen.Choose(-2000, 2000).Select(v => v / 1000f), n)
         from lengths in Gen.ArrayOf(Gen.Choose(1, t), n)
         from logRatio in Gen.ArrayOf(Gen.Choose(-500, 500).Select(v => v / 1000f), n)
         select (logProbs, advantages, lengths, logRatio)).ToArbitrary();

    private static (float Loss, float[] Gradient) LossAndGradient(float[][] logProbs, float[] oldOffsets, double[] advantages, int[] lengths, PolicyLossOptions options)
    {
        using var scope = NewDisposeScope();
        var (n, t) = (logProbs.Length, logProbs[0].Length);
        var theta = tensor(logProbs.SelectMany(r => r).ToArray(), [n, t]).requires_grad_();
        var old = theta.detach() - tensor(oldOffsets, [n, 1]);
        var result = PolicyLoss.Compute(theta, old, null, advantages, lengths, options);
        result.Loss.backward();
        return (result.Loss.item<float>(), theta.grad!.data<float>().ToArray());
    }

    private static PolicyLossOptions Options(PolicyLossKind kind, LossAggregation aggregation, double clip) =>
        new(aggregation, clip, clip, 0, KlEstimator.K3, 16, kind, clip, clip);

    [Property(MaxTest = TorchCases)]
    public FsCheck.Property Gspo_equals_token_level_grpo_when_every_token_of_a_sequence_has_the_same_ratio() =>
        Prop.ForAll(LossBatch, Gen.Elements(0.0003, 0.2).ToArbitrary(), (x, clip) =>
        {
            // Every token of sequence i has log-ratio x.LogRatio[i], so its sequence ratio is that ratio.
            var advantages = x.Advantages.Select(a => (double)a).ToArray();
            var gspo = LossAndGradient(x.LogProbs, x.LogRatio, advantages, x.Lengths, Options(PolicyLossKind.Gspo, LossAggregation.TokenMean, clip));
            var grpo = LossAndGradient(x.LogProbs, x.LogRatio, advantages, x.Lengths, Options(PolicyLossKind.Vanilla, LossAggregation.SeqMeanTokenMean, clip));
            return Close(gspo.Loss, grpo.Loss, 1e-5) && gspo.Gradient.Zip(grpo.Gradient).All(p => Close(p.First, p.Second, 1e-5));
        });

    [Property(MaxTest = TorchCases)]
    public FsCheck.Property Cispo_gradient_at_ratio_one_is_reinforces_and_the_clipped_surrogates() =>
        Prop.ForAll(LossBatch, Gen.Elements(Enum.GetValues<LossAggregation>()).ToArbitrary(), (x, aggregation) =>
        {
            var advantages = x.Advantages.Select(a => (double)a).ToArray();
            var atOne = new float[x.LogProbs.Length];
            var cispo = LossAndGradient(x.LogProbs, atOne, advantages, x.Lengths, Options(PolicyLossKind.Cispo, aggregation, 0.2));
            var grpo = LossAndGradient(x.LogProbs, atOne, advantages, x.Lengths, Options(PolicyLossKind.Vanilla, aggregation, 0.2));
            var t = x.LogProbs[0].Length;
            // REINFORCE: d loss / d log π(y_it) = −A_i·w_i on a completion's tokens, 0 on padding.
            return Enumerable.Range(0, cispo.Gradient.Length).All(k =>
            {
                var (i, position) = (k / t, k % t);
                var reinforce = position < x.Lengths[i] ? -advantages[i] * LossAggregations.TokenWeight(aggregation, x.Lengths, i, 16) : 0;
                return Close(cispo.Gradient[k], reinforce, 1e-5) && Close(grpo.Gradient[k], reinforce, 1e-5);
            });
        });

    [Property(MaxTest = TorchCases)]
    public FsCheck.Property A_masked_completion_gets_no_gradient_and_leaves_the_others_as_they_were() =>
        Prop.ForAll(LossBatch, Gen.Elements(Enum.GetValues<PolicyLossKind>()).ToArbitrary(), (x, kind) =>
        {
            if (x.LogProbs.Length < 2) return true;
            var advantages = x.Advantages.Select(a => (double)a).ToArray();
            var masked = x.Lengths.ToArray();
            masked[0] = 0;
            // seq-mean-token-sum keeps G, so the other completions' weights do not move when one is masked.
            var options = Options(kind, LossAggregation.SeqMeanTokenSum, 0.2) with { Kind = kind == PolicyLossKind.Gspo ? PolicyLossKind.Vanilla : kind };
            var full = LossAndGradient(x.LogProbs, x.LogRatio, advantages, x.Lengths, options);
            var cut = LossAndGradient(x.LogProbs, x.LogRatio, advantages, masked, options);
            var t = x.LogProbs[0].Length;
            return cut.Gradient.Take(t).All(g => g == 0) && cut.Gradient.Skip(t).Zip(full.Gradient.Skip(t)).All(p => Close(p.First, p.Second, 1e-6));
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Overlong_penalty_is_zero_before_the_buffer_then_falls_linearly_to_minus_the_factor() =>
        Prop.ForAll((from limit in Gen.Choose(2, 4096) from buffer in Gen.Choose(1, limit - 1) from length in Gen.Choose(0, limit)
                     from factor in Gen.Choose(0, 400) select (limit, buffer, length, factor / 100.0)).ToArbitrary(), x =>
        {
            var (limit, buffer, length, factor) = x;
            var penalty = OverlongShaping.Penalty(length, limit, buffer, factor);
            var next = OverlongShaping.Penalty(Math.Min(limit, length + 1), limit, buffer, factor);
            return penalty <= 0 && penalty >= -factor - 1e-12 && next <= penalty
                && (length > limit - buffer || penalty == 0)
                && Close(OverlongShaping.Penalty(limit, limit, buffer, factor), -factor);
        });

    [Property(MaxTest = Cases)]
    public FsCheck.Property Dynamic_sampling_keeps_only_informative_groups_and_draws_again_until_full_or_the_last_draw() =>
        Prop.ForAll(Generators.Batch.ToArbitrary(), Gen.Choose(1, 8).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (drawn, wanted, last) =>
        {
            var informative = drawn.Count(DynamicSampling.Informative);
            var kept = DynamicSampling.Keep(drawn, wanted, last);
            if (kept is null) return !last && informative < wanted;
            if (informative == 0) return last && kept.SequenceEqual(Enumerable.Range(0, Math.Min(wanted, drawn.Length)));
            return kept.Length == Math.Min(wanted, informative) && kept.All(g => DynamicSampling.Informative(drawn[g])) && kept.SequenceEqual(kept.Order());
        });
}
