using System.ComponentModel;
using System.Globalization;

namespace Harness.Core;

/// <summary>
/// Reads and writes an enum as its variant name (<see cref="VariantName"/>), so configuration binding turns
/// <c>"seq-mean-token-mean"</c> into the enum once, where the config is loaded. Put on an enum with
/// <c>[TypeConverter(typeof(VariantConverter&lt;T&gt;))]</c>.
/// </summary>
public sealed class VariantConverter<TEnum> : TypeConverter where TEnum : struct, Enum
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) => destinationType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        VariantName.TryParse<TEnum>(value as string, out var variant) ? variant : throw new FormatException(VariantName.Unknown<TEnum>(value as string));

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is TEnum variant && destinationType == typeof(string) ? VariantName.Of(variant) : base.ConvertTo(context, culture, value, destinationType);
}
