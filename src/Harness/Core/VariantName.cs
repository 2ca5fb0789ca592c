using System.Text;

namespace Harness.Core;

/// <summary>
/// The names variants go by in configs and on the command line: kebab-case of the enum member
/// (<c>SeqMeanTokenSumNorm</c> is <c>seq-mean-token-sum-norm</c>), the names verl and TRL use for GRPO's.
/// </summary>
public static class VariantName
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(Of).ToArray();

    /// <summary>Parses a variant name; the error names the field and lists the accepted names.</summary>
    public static TEnum Parse<TEnum>(string? text, string field) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value) ? value : throw new HarnessException($"{field}: {Unknown<TEnum>(text)}.");

    /// <summary>Parses a variant name, ignoring case and surrounding spaces.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
            if (string.Equals(Of(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>What is wrong with a name that is not a variant, listing the accepted ones.</summary>
    public static string Unknown<TEnum>(string? text) where TEnum : struct, Enum =>
        $"'{text}' is not one of {string.Join(", ", All<TEnum>())}";
}
