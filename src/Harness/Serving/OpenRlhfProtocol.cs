using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Harness.Serving;

/// <summary>
/// OpenRLHF's remote reward protocol (<c>--reward.remote_url</c>, before v0.10.2 <c>--remote_rm_url</c>): a POST of
/// <c>{"query": [...], "prompts": [...], "labels": [...]}</c>, one sample a request since v0.9.1 (openrlhf/utils/agent.py,
/// <c>_fetch_rewards_via_http</c>), whole batches before (openrlhf/utils/remote_rm_utils.py); <c>query</c> is prompt and
/// response decoded with the special tokens kept. The answer is <c>{"rewards": [...], "scores": [...], "extra_logs": {...}}</c>,
/// lists of one number per sample as the reference server openrlhf/cli/serve_rm.py answers; the engine logs each
/// <c>extra_logs</c> key as <c>train/&lt;key&gt;</c>, averaged over samples, so each sample carries its batch's aggregate.
/// </summary>
public static partial class OpenRlhfProtocol
{
    public sealed record Response(
        [property: JsonPropertyName("rewards")] IReadOnlyList<double> Rewards,
        [property: JsonPropertyName("scores")] IReadOnlyList<double> Scores,
        [property: JsonPropertyName("extra_logs")] IReadOnlyDictionary<string, double[]> ExtraLogs);

    /// <summary>The samples of a request: each response cut from its query after its prompt.</summary>
    public static IReadOnlyList<ScoringSample> Parse(JsonElement body)
    {
        RequestJson.Object(body);
        var queries = RequestJson.Array(body, "query", "query");
        var prompts = RequestJson.Array(body, "prompts", "prompts");
        var labels = RequestJson.Array(body, "labels", "labels");
        var n = queries.GetArrayLength();
        foreach (var (name, list) in new[] { ("prompts", prompts), ("labels", labels) })
            if (list.GetArrayLength() != n)
                throw new ServiceRequestException(name, $"has {list.GetArrayLength()} items where query has {n}: the lists go together, one item per sample");
        var samples = new ScoringSample[n];
        for (var i = 0; i < n; i++)
        {
            var prompt = RequestJson.String(prompts[i], $"prompts[{i}]");
            samples[i] = new ScoringSample(prompt, ResponseIn(RequestJson.String(queries[i], $"query[{i}]"), prompt), RequestJson.Gold(labels[i], $"labels[{i}]"));
        }
        return samples;
    }

    /// <summary>
    /// The response in a query: what follows its prompt (at the start, or where it stands after special tokens the
    /// engine added), without the end-of-sequence and padding tokens after it (<c>&lt;|im_end|&gt;</c>, <c>&lt;|endoftext|&gt;</c>,
    /// <c>&lt;|eot_id|&gt;</c>, <c>&lt;/s&gt;</c>, …), which would otherwise read as text after the answer. A query
    /// that does not hold its prompt is taken whole.
    /// </summary>
    public static string ResponseIn(string query, string prompt)
    {
        var at = query.StartsWith(prompt, StringComparison.Ordinal) ? 0 : prompt.Length > 0 ? query.IndexOf(prompt, StringComparison.Ordinal) : -1;
        var response = at >= 0 ? query[(at + prompt.Length)..] : query;
        return TrailingSpecialTokens().Replace(response, "");
    }

    public static Response Answer(ScoredBatch batch)
    {
        var rewards = batch.Samples.Select(s => s.Reward).ToArray();
        return new Response(rewards, rewards, batch.Aggregates.ToDictionary(a => a.Key, a => Enumerable.Repeat(a.Value, rewards.Length).ToArray()));
    }

    [GeneratedRegex(@"(?:\s*(?:<\|[^|<>\s]{1,40}\|>|</s>|<pad>|<eos>|\[PAD\]))+\s*$")]
    private static partial Regex TrailingSpecialTokens();
}
