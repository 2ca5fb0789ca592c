using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Harness.Imports;

namespace Harness.Tests.Property;

/// <summary>
/// Trainer JSON with Python's bare NaN, Infinity and -Infinity: those tokens are null where a number stands, and text
/// that holds the same words (quoted, escaped, raw or as \u escapes, across the 64 KiB blocks lines are read in)
/// comes out of every importer byte for byte as written.
/// </summary>
public class TrainerJsonProperties
{
    private static readonly Gen<string> Fragment = Gen.Elements(
        "NaN", "Infinity", "-Infinity", "[NaN, 1]", "{\"a\": NaN}", ": NaN,", ",Infinity]", "\"", "\\", "\\\"", "\\n", "\n", "\t",
        "[", "]", ",", ":", " ", "é", "中", "😀", "null", "1", "-", "x", "NaNa", "nan", "inf");

    private static readonly Gen<string> Text = Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Fragment, n)).Select(string.Concat);

    /// <summary>Text long enough, at times, to put its words on either side of a 64 KiB read.</summary>
    private static readonly Gen<string> LongText = Gen.OneOf(Text, Gen.Choose(65_536 - 80, 65_536 + 40).SelectMany(pad => Text.Select(t => new string('a', pad) + t)));

    private static readonly Gen<string> BareNumber = Gen.Elements("NaN", "Infinity", "-Infinity", "1.5", "-0", "2e3");

    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A string as JSON: escaped by the default encoder (\u escapes), or as raw as JSON allows.</summary>
    private static string Quote(string text, bool raw) => JsonSerializer.Serialize(text, raw ? Raw : JsonSerializerOptions.Default);

    private static double? Number(string bare) => bare is "NaN" or "Infinity" or "-Infinity" ? null : double.Parse(bare, System.Globalization.CultureInfo.InvariantCulture);

    [Property(MaxTest = 300)]
    public FsCheck.Property Strings_are_kept_and_bare_literals_are_null() =>
        Prop.ForAll(Gen.ArrayOf(Text, 3).ToArbitrary(), Gen.ArrayOf(BareNumber, 3).ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (texts, numbers, raw) =>
        {
            var json = $"{{\"a\":{Quote(texts[0], raw)}, \"n\" : {numbers[0]},\"list\":[ {numbers[1]},{Quote(texts[1], raw)} ,{numbers[2]}], \"b\": {Quote(texts[2], raw)}}}";
            using var document = JsonDocument.Parse(TrainerJson.Standard(Encoding.UTF8.GetBytes(json)));
            var root = document.RootElement;
            var list = root.GetProperty("list");
            double? Read(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
            return root.GetProperty("a").GetString() == texts[0] && root.GetProperty("b").GetString() == texts[2] && list[1].GetString() == texts[1]
                && Read(root.GetProperty("n")) == Number(numbers[0]) && Read(list[0]) == Number(numbers[1]) && Read(list[2]) == Number(numbers[2]);
        });

    [Property(MaxTest = 100)]
    public FsCheck.Property A_completions_file_and_a_verl_dump_keep_their_text() =>
        Prop.ForAll(Gen.ArrayOf(LongText, 3).ToArbitrary(), BareNumber.ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (texts, score, raw) =>
        {
            var dir = Directory.CreateTempSubdirectory("trainer-json-");
            try
            {
                var file = Path.Combine(dir.FullName, "dump.jsonl");
                File.WriteAllText(file, $"{{\"prompt\": {Quote(texts[0], raw)}, \"score\": {score}, \"completion\": {Quote(texts[1], raw)}, \"gold\": {Quote(texts[2], raw)}}}\n");
                var verl = Path.Combine(dir.FullName, "verl");
                Directory.CreateDirectory(Path.Combine(verl, "rollouts"));
                File.WriteAllText(Path.Combine(verl, "run.jsonl"), $"{{\"step\": 1, \"data\": {{\"training/global_step\": 1, \"critic/score/mean\": {score}}}}}\n");
                File.WriteAllText(Path.Combine(verl, "rollouts", "1.jsonl"),
                    $"{{\"input\": {Quote(texts[0], raw)}, \"output\": {Quote(texts[1], raw)}, \"gts\": {Quote(texts[2], raw)}, \"score\": {score}, \"step\": 1}}\n");
                return new[] { file, verl }.All(path =>
                {
                    var c = Assert.Single(RunImport.Open(path).Completions());
                    return (c.Prompt, c.Completion, c.Gold) == (texts[0], texts[1], texts[2])
                        && c.Terms.GetValueOrDefault("score", double.NaN) is var s && (Number(score) is { } n ? s == n : double.IsNaN(s));
                });
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        });

    [Property(MaxTest = 100)]
    public FsCheck.Property A_trainer_state_reads_bare_literals_as_missing_values_beside_any_text() =>
        Prop.ForAll(Gen.ArrayOf(Text, 2).ToArbitrary(), Gen.ArrayOf(BareNumber, 2).ToArbitrary(), (texts, numbers) =>
        {
            var dir = Directory.CreateTempSubdirectory("trainer-state-");
            try
            {
                var file = Path.Combine(dir.FullName, "trainer_state.json");
                File.WriteAllText(file, $$"""
                    {"best_model_checkpoint": {{Quote(texts[0], raw: true)}}, "log_history": [
                      {"loss": {{numbers[0]}}, "note": {{Quote(texts[1], raw: false)}}, "step": 1},
                      {"loss": {{numbers[1]}}, "step": 2}
                    ]}
                    """);
                var loss = RunImport.Open(file).Metrics.Metrics["loss"];
                return loss.SequenceEqual([Number(numbers[0]), Number(numbers[1])]);
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        });
}
