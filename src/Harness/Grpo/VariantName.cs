using System.Text;

namespace Harness.Grpo;

/// <summary>
/// The names GRPO variants go by in configs and on the command line: kebab-case of the enum member
/// (<c>SeqMeanTokenSumNorm</c> is <c>seq-mean-token-sum-norm</c>), the names verl and TRL use.
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
    public static TEnum Parse<TEnum>(string? text, string field) where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
            if (string.Equals(Of(value), text?.Trim(), StringComparison.OrdinalIgnoreCase))
                return value;
        throw new HarnessException($"{field}: '{text}' is not one of {string.Join(", ", All<TEnum>())}.");
    }
}
