namespace Harness.Abstractions;

/// <summary>
/// The version of this plugin contract and the rule that decides which plugins the host accepts.
/// </summary>
/// <remarks>
/// Compatibility rule: a plugin built against contract <c>M.m</c> loads in a host with contract
/// <c>M.n</c> when the majors are equal and <c>m &lt;= n</c>. Minor versions only add members or types;
/// anything that removes or changes a member raises the major.
/// </remarks>
public static class ContractVersion
{
    /// <summary>The major version: changes only when the contract breaks.</summary>
    public const int Major = 1;

    /// <summary>The minor version: grows when the contract gains members or types.</summary>
    public const int Minor = 6;

    /// <summary>The contract version as text, <c>"Major.Minor"</c>, as plugins record it.</summary>
    public const string Current = "1.6";

    /// <summary>Text that tells a user which plugin contract versions this host accepts.</summary>
    public static string AcceptedRange => Minor == 0 ? $"{Major}.0" : $"{Major}.0 to {Major}.{Minor}";

    /// <summary>Whether a plugin built against <paramref name="builtAgainst"/> may be loaded by this host.</summary>
    /// <param name="builtAgainst">The version the plugin declared, <c>"Major.Minor"</c>.</param>
    /// <returns><c>true</c> when the majors match and the plugin's minor is not newer than the host's.</returns>
    public static bool IsCompatible(string builtAgainst) =>
        TryParse(builtAgainst, out var major, out var minor) && major == Major && minor <= Minor;

    /// <summary>Parses <c>"Major.Minor"</c>.</summary>
    /// <param name="text">The version text.</param>
    /// <param name="major">The major part when parsing succeeds.</param>
    /// <param name="minor">The minor part when parsing succeeds.</param>
    /// <returns>Whether <paramref name="text"/> is a valid contract version.</returns>
    public static bool TryParse(string? text, out int major, out int minor)
    {
        major = minor = 0;
        var parts = text?.Split('.');
        return parts is { Length: 2 }
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out major)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out minor);
    }
}
