using Harness.Core;
namespace Harness.Grpo;

/// <summary>One completion's line of the walkthrough table.</summary>
public sealed record WalkthroughRow(int Index, string Shape, int Tokens, double Reward, double Advantage, double Mass, string Direction);

/// <summary>
/// The seed's hand-computed GRPO step, for any one group: advantages, the gradient mass |A|·T each
/// completion gets under a token-sum loss, the net signed mass per response shape and the ratio of the
/// largest to the next, and the net mass per shape under every loss aggregation.
/// </summary>
/// <param name="Mean">The group's mean reward.</param>
/// <param name="Std">The std the rewards were divided by.</param>
/// <param name="Rows">The table, one row per completion.</param>
/// <param name="NetMass">Σ A·T per shape, in order of first appearance.</param>
/// <param name="Ratio">Largest net mass over the next; null when there is no next or it is not positive.</param>
/// <param name="Aggregation">Net signed gradient mass per shape under each aggregation, by variant name.</param>
/// <param name="NormLength">The length L used by <c>seq-mean-token-sum-norm</c>.</param>
/// <param name="Estimators">
/// Every advantage estimator on this group, by variant name (<c>grpo</c> with the options' scale and std; the others with
/// their own, REINFORCE++-baseline whitened over this group's tokens as a batch of one group).
/// </param>
public sealed record GradientWalkthrough(
    double Mean,
    double Std,
    IReadOnlyList<WalkthroughRow> Rows,
    IReadOnlyDictionary<string, double> NetMass,
    double? Ratio,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Aggregation,
    int NormLength,
    IReadOnlyDictionary<string, IReadOnlyList<double>> Estimators)
{
    public static GradientWalkthrough Build(
        IReadOnlyList<double> rewards, IReadOnlyList<int> lengths, IReadOnlyList<string> shapes, AdvantageOptions options, int? normLength = null)
    {
        if (rewards.Count != lengths.Count || rewards.Count != shapes.Count)
            throw new HarnessException(
                $"Got {rewards.Count} rewards, {lengths.Count} lengths and {shapes.Count} shapes: give one of each per completion.");
        var group = Advantages.ForGroup(rewards, options, lengths);
        var a = group.Values;
        var norm = normLength ?? (lengths.Count == 0 ? 0 : lengths.Max());
        var rows = a.Select((adv, i) => new WalkthroughRow(
            i, shapes[i], lengths[i], rewards[i], adv, Math.Abs(adv) * lengths[i],
            adv > 0 ? "push up" : adv < 0 ? "push down" : "none")).ToArray();
        var net = ByShape(shapes, rows.Select(r => r.Advantage * r.Tokens).ToArray());
        var aggregation = Enum.GetValues<LossAggregation>().ToDictionary(
            VariantName.Of,
            mode => (IReadOnlyDictionary<string, double>)ByShape(shapes, LossAggregations.SignedMass(mode, a, lengths, norm)));
        var estimators = Enum.GetValues<AdvantageEstimator>().ToDictionary(VariantName.Of, e => Advantages.ForGroup(rewards,
            e == AdvantageEstimator.Grpo ? options with { Estimator = e } : new AdvantageOptions(Estimator: e), lengths).Values);
        return new GradientWalkthrough(group.Mean, group.Std, rows, net, RatioOfTopTwo(net.Values), aggregation, norm, estimators);
    }

    /// <summary>The largest value over the next largest; null when undefined.</summary>
    public static double? RatioOfTopTwo(IEnumerable<double> values)
    {
        var top = values.OrderDescending().Take(2).ToArray();
        return top.Length == 2 && top[1] > 0 ? top[0] / top[1] : null;
    }

    private static Dictionary<string, double> ByShape(IReadOnlyList<string> shapes, IReadOnlyList<double> values)
    {
        var sums = new Dictionary<string, double>();
        for (var i = 0; i < shapes.Count; i++) sums[shapes[i]] = sums.GetValueOrDefault(shapes[i]) + values[i];
        return sums;
    }
}
