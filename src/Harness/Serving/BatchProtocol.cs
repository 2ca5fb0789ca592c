using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Serving;

/// <summary>
/// The service's own batch endpoint, <c>POST /v1/score</c>, for engines without a protocol (verl's reward function shim):
/// <c>{"step": N, "samples": [{"prompt": "...", "completion": "...", "gold": "..."}]}</c> (the step optional, or in
/// an <c>X-Harness-Step</c> header), answered with each sample's reward, terms, flags and final answer (null when the answer format finds none) and the batch's aggregates.
/// Documented in the service's OpenAPI document (<c>GET /openapi.json</c>).
/// </summary>
public static class BatchProtocol
{
    public sealed record Result(
        [property: JsonPropertyName("reward")] double Reward,
        [property: JsonPropertyName("terms")] IReadOnlyDictionary<string, double> Terms,
        [property: JsonPropertyName("flags")] IReadOnlyList<string> Flags,
        [property: JsonPropertyName("answer")] string? Answer);

    public sealed record Response(
        [property: JsonPropertyName("step")] int Step,
        [property: JsonPropertyName("results")] IReadOnlyList<Result> Results,
        [property: JsonPropertyName("aggregates")] IReadOnlyDictionary<string, double> Aggregates);

    public static IReadOnlyList<ScoringSample> Parse(JsonElement body)
    {
        RequestJson.Object(body);
        var samples = RequestJson.Array(body, "samples", "samples");
        return [.. samples.EnumerateArray().Select((sample, i) =>
        {
            var path = $"samples[{i}]";
            if (sample.ValueKind != JsonValueKind.Object) throw new ServiceRequestException(path, "is not an object with prompt, completion and gold");
            return new ScoringSample(
                sample.TryGetProperty("prompt", out var prompt) && prompt.ValueKind != JsonValueKind.Null ? RequestJson.String(prompt, $"{path}.prompt") : "",
                RequestJson.String(sample, "completion", $"{path}.completion"),
                RequestJson.Gold(sample.TryGetProperty("gold", out var gold) ? gold : default, $"{path}.gold"));
        })];
    }

    public static Response Answer(ScoredBatch batch) =>
        new(batch.Step, [.. batch.Samples.Select(s => new Result(s.Reward, s.Terms, s.Flags, s.Answer))], batch.Aggregates);
}
