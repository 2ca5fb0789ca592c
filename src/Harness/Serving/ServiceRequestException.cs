namespace Harness.Serving;

/// <summary>A request the service cannot take, naming the field at fault (an HTTP 400).</summary>
/// <param name="field">The field, as a JSON path: <c>query[2]</c>, <c>samples[0].gold</c>, <c>step</c>, or <c>(body)</c>.</param>
public sealed class ServiceRequestException(string field, string problem) : Exception($"{field} {problem}.")
{
    public string Field { get; } = field;
}
