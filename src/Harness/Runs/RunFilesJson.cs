using System.Text.Json.Serialization;

namespace Harness.Runs;

/// <summary>How the typed files of a run directory are written and read (source-generated, snake_case keys).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WriterRecord))]
internal sealed partial class RunFilesJson : JsonSerializerContext;
