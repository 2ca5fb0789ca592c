using System.Text.Json;
using Harness.Abstractions;
using Harness.Answers;
using Harness.Core;
using Harness.Plugins.Detectors;

namespace Harness.Tests.Golden.Fixtures.Detection;

/// <summary>A labelled completion of the corpus (see README.md beside the files).</summary>
public sealed record CorpusRecord(string Id, string Lang, string Prompt, string Completion, string Format, string Think, bool Truncated,
    IReadOnlyDictionary<string, bool> Labels, string Note, string File);

/// <summary>How one flag fared over the corpus, and the records it got wrong.</summary>
public sealed record FlagScore(string Flag, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives, IReadOnlyList<CorpusRecord> Missed, IReadOnlyList<CorpusRecord> Wrong)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : TruePositives / (double)(TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : TruePositives / (double)(TruePositives + FalseNegatives);

    public int Right => TruePositives + TrueNegatives;

    public int Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;
}

/// <summary>
/// Runs the first-party detectors on every labelled completion, each read as its record says (answer format and think
/// layout), and scores each flag: the test holds them to the labels, the benchmark prints the table.
/// </summary>
public static class DetectionCorpus
{
    /// <summary>The flags the corpus labels, as the detectors name them.</summary>
    public static readonly string[] Flags =
        ["self-verify", "mixed-language", "phrase-outside-think", "phrase-after-answer", "text-after-answer", "extra-blocks", "repetition-loop"];

    public static IReadOnlyList<CorpusRecord> Load(string directory) =>
    [
        .. Directory.EnumerateFiles(directory, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(file => System.IO.File.ReadLines(file)
            .Where(line => line.Trim().Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => new CorpusRecord(r.GetProperty("id").GetString()!, r.GetProperty("lang").GetString()!, r.GetProperty("prompt").GetString()!,
                r.GetProperty("completion").GetString()!, r.GetProperty("format").GetString()!, r.GetProperty("think").GetString()!, r.GetProperty("truncated").GetBoolean(),
                r.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetBoolean()), r.GetProperty("note").GetString() ?? "", Path.GetFileName(file)))),
    ];

    /// <summary>One record as a detector's input: the completion read as the record says.</summary>
    public static DetectorInput Input(CorpusRecord record)
    {
        var reader = new CompletionReader(VariantName.Parse<AnswerFormat>(record.Format, "format"), VariantName.Parse<ThinkLayout>(record.Think, "think"));
        var completion = new ScoredCompletion(0, record.Prompt, new Dictionary<string, string>(), record.Completion, record.Completion.Length, record.Truncated, 0,
            new Dictionary<string, double>()) { Reading = reader.Read(record.Completion, record.Prompt) };
        return new DetectorInput(1, [completion]) { AnswerReached = reader.Reached };
    }

    /// <summary>The flags the detectors raise on one record.</summary>
    public static IReadOnlySet<string> Detect(CorpusRecord record)
    {
        var input = Input(record);
        IDetector[] detectors =
        [
            new SelfVerificationDetector(), new LanguageMixingDetector(new PluginSettings("language-mixing")), new FormatHackingDetector(),
            new RepetitionDetector(new PluginSettings("repetition")),
        ];
        return detectors.SelectMany(d => d.Detect(input).Completions[0].Flags).ToHashSet();
    }

    public static IReadOnlyList<FlagScore> Score(IReadOnlyList<CorpusRecord> records)
    {
        var detected = records.Select(Detect).ToArray();
        return
        [
            .. Flags.Select(flag =>
            {
                var pairs = records.Select((r, i) => (Record: r, Label: r.Labels[flag], Got: detected[i].Contains(flag))).ToArray();
                return new FlagScore(flag, pairs.Count(p => p.Label && p.Got), pairs.Count(p => !p.Label && p.Got), pairs.Count(p => p.Label && !p.Got),
                    pairs.Count(p => !p.Label && !p.Got), [.. pairs.Where(p => p.Label && !p.Got).Select(p => p.Record)], [.. pairs.Where(p => !p.Label && p.Got).Select(p => p.Record)]);
            }),
        ];
    }
}
