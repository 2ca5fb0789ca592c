using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Plugins.Shared;

/// <summary>The words of a completion as the failure-mode measures compare them: words, numbers and equations such as "8+7+0=15".</summary>
internal static partial class TextWords
{
    /// <summary>Lower-cased words and numbers, punctuation and tags dropped.</summary>
    public static string[] Of(string text) =>
        [.. WordRegex().Matches(text).Select(m => m.Value.ToLower(CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"(?<![<\/])\b[\p{L}\d][\p{L}\d+=\-]*")]
    private static partial Regex WordRegex();
}
