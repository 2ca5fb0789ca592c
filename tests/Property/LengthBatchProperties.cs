using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Training;

namespace Harness.Tests.Property;

/// <summary>The scoring micro-batches: a partition of the completions, by length, as cheap as any split can be.</summary>
public class LengthBatchProperties
{
    private static Arbitrary<(int[] Lengths, int MaxSize)> Cases =>
        (from lengths in Gen.Choose(0, 300).ArrayOf().Where(l => l.Length <= 40)
         from maxSize in Gen.Choose(1, 48)
         select (lengths, maxSize)).ToArbitrary();

    [Property(MaxTest = 3000)]
    public FsCheck.Property Every_completion_is_in_exactly_one_part_of_at_most_the_size_shortest_first() =>
        Prop.ForAll(Cases, c =>
        {
            var parts = LengthBatches.Split(c.Lengths, c.MaxSize);
            var all = parts.SelectMany(p => p).ToArray();
            var sorted = all.Select(i => c.Lengths[i]).ToArray();
            return all.Order().SequenceEqual(Enumerable.Range(0, c.Lengths.Length))
                && parts.All(p => p.Length >= 1 && p.Length <= c.MaxSize)
                && sorted.Zip(sorted.Skip(1)).All(x => x.First <= x.Second);
        });

    [Property(MaxTest = 500)]
    public FsCheck.Property No_split_into_consecutive_runs_of_the_sorted_lengths_costs_less() =>
        Prop.ForAll((from lengths in Gen.Choose(1, 200).ArrayOf().Where(l => l.Length is > 0 and <= 10)
                     from maxSize in Gen.Choose(1, 10)
                     select (lengths, maxSize)).ToArbitrary(), c =>
        {
            var sorted = c.lengths.Order().ToArray();
            long Cost(IEnumerable<int[]> parts) => parts.Sum(p => (long)p.Length * Math.Max(1, p.Max()) + LengthBatches.PartCost);
            var found = Cost(LengthBatches.Split(c.lengths, c.maxSize).Select(p => p.Select(i => c.lengths[i]).ToArray()));
            // Every way to cut the sorted lengths into runs of at most maxSize, by brute force over the cut points.
            var best = long.MaxValue;
            for (var mask = 0; mask < 1 << (sorted.Length - 1); mask++)
            {
                var parts = new List<int[]>();
                var start = 0;
                for (var i = 1; i <= sorted.Length; i++)
                    if (i == sorted.Length || (mask >> (i - 1) & 1) == 1)
                    {
                        parts.Add(sorted[start..i]);
                        start = i;
                    }
                if (parts.All(p => p.Length <= c.maxSize)) best = Math.Min(best, Cost(parts));
            }
            return found == best;
        });
}
