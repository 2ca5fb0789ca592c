using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Imports;

/// <summary>
/// Python's <c>json.dumps</c> writes NaN, Infinity and -Infinity as bare tokens, which JSON does not have (TRL's
/// trainer_state.json, verl's rollout dumps and its file logger before it moved to orjson): they are read as null.
/// </summary>
internal static partial class PythonJson
{
    public static string Clean(string text) => text.Contains("NaN", StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal)
        ? BareNonFinite().Replace(text, "$1null")
        : text;

    /// <summary>The same for a line of UTF-8 (as JSON Lines are read).</summary>
    public static ReadOnlyMemory<byte> Clean(ReadOnlyMemory<byte> line) => line.Span.IndexOf("NaN"u8) >= 0 || line.Span.IndexOf("Infinity"u8) >= 0
        ? Encoding.UTF8.GetBytes(Clean(Encoding.UTF8.GetString(line.Span)))
        : line;

    [GeneratedRegex(@"([:\[,]\s*)-?(?:NaN|Infinity)(?=\s*[,\]\}])")]
    private static partial Regex BareNonFinite();
}
