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

    [GeneratedRegex(@"([:\[,]\s*)-?(?:NaN|Infinity)(?=\s*[,\]\}])")]
    private static partial Regex BareNonFinite();
}
