using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Core;
using Harness.Runs;

namespace Harness.Tests.Property;

/// <summary>The streaming pieces of a scan: lines read as UTF-8, and work spread over lanes but taken in order.</summary>
public class StreamingProperties
{
    private static readonly Gen<string> Line = Gen.OneOf(
        Gen.Elements("", "{\"a\": 1}", "  ", "ü中😀", "x\r"),
        Gen.Choose(1, 200_000).Select(k => new string('é', k)));

    [Property(MaxTest = 300)]
    public FsCheck.Property Utf8_lines_are_the_files_lines() =>
        Prop.ForAll(Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Line, n)).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(),
            Gen.Elements("\n", "\r\n").ToArbitrary(), (lines, bom, newline) =>
        {
            var text = string.Join(newline, lines);
            var path = Path.GetTempFileName();
            try
            {
                File.WriteAllBytes(path, [.. (bom ? Encoding.UTF8.Preamble : []), .. Encoding.UTF8.GetBytes(text)]);
                var read = Utf8Lines.Read(path).Select(l => Encoding.UTF8.GetString(l.Span)).ToArray();
                var expected = text.Length == 0 ? [] : text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToArray();
                if (expected.Length > 0 && text.EndsWith('\n')) expected = expected[..^1];
                return read.SequenceEqual(expected);
            }
            finally
            {
                File.Delete(path);
            }
        });

    [Property(MaxTest = 200)]
    public FsCheck.Property Utf8_lines_within_a_limit_are_the_lines_of_the_files_first_bytes() =>
        Prop.ForAll(Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Line, n)).ToArbitrary(), Gen.Choose(0, 400_000).ToArbitrary(), (lines, limit) =>
        {
            var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines.Select(l => l.TrimEnd('\r'))));
            var path = Path.GetTempFileName();
            try
            {
                File.WriteAllBytes(path, bytes);
                var read = Utf8Lines.Read(path, limit).Select(l => l.ToArray()).ToArray();
                var head = bytes.AsSpan(0, Math.Min(limit, bytes.Length)).ToArray();
                var expected = head.Length == 0 ? [] : Encoding.Latin1.GetString(head).Split('\n').Select(Encoding.Latin1.GetBytes).ToArray();
                if (expected.Length > 0 && expected[^1].Length == 0) expected = expected[..^1];
                return read.Length == expected.Length && read.Zip(expected).All(p => p.First.SequenceEqual(p.Second));
            }
            finally
            {
                File.Delete(path);
            }
        });

    [Property(MaxTest = 200)]
    public FsCheck.Property Lanes_give_the_loops_results_in_its_order() =>
        Prop.ForAll(Gen.Choose(0, 60).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (count, laneCount) =>
        {
            var lanes = Enumerable.Range(0, laneCount).Select(lane => (Func<int, (int, int)>)(i =>
            {
                Thread.SpinWait((i * 7919) % 5000);
                return (i * i, lane);
            })).ToArray();
            var results = OrderedLanes.Map(Enumerable.Range(0, count), lanes).ToArray();
            return results.Select(r => r.Item).SequenceEqual(Enumerable.Range(0, count))
                && results.All(r => r.Result.Item1 == r.Item * r.Item && r.Result.Item2 < laneCount);
        });

    [Property(MaxTest = 100)]
    public FsCheck.Property A_lane_failure_surfaces_at_its_items_turn() =>
        Prop.ForAll(Gen.Choose(1, 40).ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (count, laneCount) =>
        {
            var failing = count / 2;
            var lanes = Enumerable.Range(0, laneCount).Select(_ => (Func<int, int>)(i => i == failing ? throw new InvalidOperationException($"item {i}") : i)).ToArray();
            var seen = new List<int>();
            try
            {
                foreach (var (item, _) in OrderedLanes.Map(Enumerable.Range(0, count), lanes)) seen.Add(item);
                return false;
            }
            catch (InvalidOperationException e)
            {
                return e.Message == $"item {failing}" && seen.SequenceEqual(Enumerable.Range(0, failing));
            }
        });
}
