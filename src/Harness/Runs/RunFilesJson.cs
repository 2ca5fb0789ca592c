using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core;
using Harness.Experiments;

namespace Harness.Runs;

/// <summary>
/// The one JSON context of a run directory's files, source-generated: every file's typed record. Enums are written by
/// their variant names, as experiments spell them (<see cref="VariantJsonConverter"/>). Keys are camelCase
/// unless a record names them (snake_case where peers spell a field so, e.g. <c>after_step</c>). Reading respects the
/// records' nullability and required members, so a file that lacks a field is an error naming it, not a null.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true,
    Converters = [typeof(VariantJsonConverter)])]
[JsonSerializable(typeof(ExperimentConfig))]
[JsonSerializable(typeof(ManifestRecord))]
[JsonSerializable(typeof(StepMetrics))]
[JsonSerializable(typeof(CompletionRecord))]
[JsonSerializable(typeof(ProbeRecord))]
[JsonSerializable(typeof(RunEvent))]
[JsonSerializable(typeof(ErrorRecord))]
[JsonSerializable(typeof(CheckpointRecord))]
[JsonSerializable(typeof(WriterRecord))]
[JsonSerializable(typeof(PretrainReport))]
internal sealed partial class RunFilesJson : JsonSerializerContext
{
    /// <summary>JSON Lines files: one compact record per line; plain characters ("+", "&lt;", accents) are not escaped.</summary>
    public static RunFilesJson Lines { get; } = new(FileOptions(indented: false));

    /// <summary>Whole-file documents (config.json, manifest.json, state.json, writer.json), indented for people.</summary>
    public static RunFilesJson Indented { get; } = new(FileOptions(indented: true));

    // The generation options above, with the escaping and indentation of each kind of file.
    private static JsonSerializerOptions FileOptions(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
        Converters = { new VariantJsonConverter() },
    };
}
