using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core;

/// <summary>Writes and reads every enum as its variant name in JSON (config.json), as the experiment file spells it.</summary>
public sealed class VariantJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Variant<>).MakeGenericType(typeToConvert))!;

    private sealed class Variant<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            VariantName.TryParse<TEnum>(reader.GetString(), out var value) ? value : throw new JsonException(VariantName.Unknown<TEnum>(reader.GetString()));

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(VariantName.Of(value));
    }
}
