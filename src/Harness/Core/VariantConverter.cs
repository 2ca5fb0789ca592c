using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Harness.Core;

/// <summary>
/// Reads and writes an enum as its variant name (<see cref="VariantName"/>) wherever .NET converts text through
/// <see cref="TypeDescriptor"/>, as configuration binding does: <c>"seq-mean-token-mean"</c> becomes the enum once,
/// where a config is loaded. <see cref="VariantConverters.Register"/> puts it on every enum a config type holds.
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

/// <summary>Puts <see cref="VariantConverter{TEnum}"/> on the enums a config type holds, once per process.</summary>
public static class VariantConverters
{
    private static readonly HashSet<Type> Seen = [];

    /// <summary>Registers a converter for every enum reachable through the public properties of <paramref name="root"/>.</summary>
    public static void Register(Type root)
    {
        lock (Seen) Visit(root);
    }

    private static void Visit(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!Seen.Add(type)) return;
        if (type.IsEnum)
            TypeDescriptor.AddAttributes(type, new TypeConverterAttribute(typeof(VariantConverter<>).MakeGenericType(type)));
        else if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments()) Visit(argument);
        else if (type.IsClass && type.Namespace?.StartsWith("Harness", StringComparison.Ordinal) == true)
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)) Visit(property.PropertyType);
    }
}
