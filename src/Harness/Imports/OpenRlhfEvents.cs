using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Abstractions;
using Harness.Runs;

namespace Harness.Imports;

/// <summary>
/// An OpenRLHF run as it writes itself locally: TensorBoard events under <c>--logger.tensorboard_dir</c> (older:
/// <c>--use_tensorboard</c>), one folder per run name (openrlhf/utils/logging_utils.py, <c>TensorboardLogger</c>). Scalars
/// <c>train/&lt;key&gt;</c> per rollout step (openrlhf/trainer/ppo_trainer.py and trainer/ray/ppo_actor.py: <c>reward</c>,
/// <c>kl</c>, <c>policy_loss</c>, <c>response_length</c>, <c>rollout/*</c>, <c>timing/*</c>, any <c>extra_logs</c> key) and
/// <c>eval/eval_&lt;datasource&gt;_pass1</c>; and one sampled text a step, <c>train/generated_samples</c>, "Sample:\n{prompt and
/// response, special tokens stripped}\n\nReward: {r}" (with literal <c>\n</c> since v0.10). That one sample is the run's only
/// completion per step: its prompt is cut off at the last assistant turn marker ("Assistant:", or a chat template's
/// "assistant" line) where there is one.
/// </summary>
public static partial class OpenRlhfEvents
{
    public const string SamplesTag = "train/generated_samples";

    /// <summary>Whether a folder (or file) holds TensorBoard events.</summary>
    public static bool Looks(string path) => TensorBoardEvents.Files(path) is { Count: > 0 } files && TensorBoardEvents.Looks(files[0]);

    /// <summary>The run's scalars (prefixes <c>train/</c> and <c>eval/</c> dropped), named as ours where <see cref="MetricNames"/> maps them, and its samples.</summary>
    public static (MetricSeries Metrics, IReadOnlyList<CompletionRecord> Samples) Read(string path)
    {
        var series = new ImportedSeries(MetricNames.OpenRlhf);
        var samples = new List<CompletionRecord>();
        foreach (var value in TensorBoardEvents.Read(TensorBoardEvents.Files(path)))
        {
            // PyTorch's add_text (like TorchSharp's) files a text under "<tag>/text_summary".
            if (value.Text is { } text && value.Tag is SamplesTag or SamplesTag + "/text_summary") samples.Add(Sample((int)value.Step, text));
            else if (value.Number is { } number) series.Add((int)value.Step, Key(value.Tag), number);
        }
        return (series.ToSeries(), samples);
    }

    private static string Key(string tag) => tag.StartsWith("train/", StringComparison.Ordinal) ? tag["train/".Length..] : tag.StartsWith("eval/", StringComparison.Ordinal) ? tag["eval/".Length..] : tag;

    private static CompletionRecord Sample(int step, string text)
    {
        var match = SampleText().Match(text);
        var body = match.Success ? match.Groups[1].Value : text;
        var reward = match.Success && double.TryParse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var turn = AssistantTurn().Matches(body).LastOrDefault();
        var (prompt, completion) = turn is null ? ("", body) : (body[..(turn.Index + turn.Length)], body[(turn.Index + turn.Length)..]);
        return new CompletionRecord(step, 0, prompt, completion.TrimStart(), completion.TrimStart().Length, false, reward,
            new Dictionary<string, double> { ["reward"] = reward }, null, []);
    }

    // v0.9 wrote real newlines, later versions the two characters \n.
    [GeneratedRegex(@"^Sample:(?:\\n|\n)(.*)(?:\\n|\n)(?:\\n|\n)Reward: (\S+)\s*$", RegexOptions.Singleline)]
    private static partial Regex SampleText();

    [GeneratedRegex(@"Assistant:|(?m:^assistant\s*$)")]
    private static partial Regex AssistantTurn();
}
