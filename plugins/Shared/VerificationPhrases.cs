using System.Text.RegularExpressions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The self-verification phrases the detector tracks, each under a short name used in metric names
/// (<c>phrase/&lt;name&gt;_rate</c>). The list covers the seed's phrases and the reflection keywords
/// that R1-Zero replications count (rethink, re-evaluate, alternatively, verify, …).
/// </summary>
internal static class VerificationPhrases
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

    /// <summary>Name and pattern of every tracked phrase, in the order the seed says they rise.</summary>
    public static IReadOnlyList<(string Name, Regex Pattern)> All { get; } =
    [
        ("wait", new Regex(@"\bwait\b", Options)),
        ("recheck", new Regex(@"\b(re-?check\w*|double[- ]check\w*|check(ing)? again)\b", Options)),
        ("actually", new Regex(@"\bactually\b", Options)),
        ("mistake", new Regex(@"\b(I made (a|an) (mistake|error)|I confused myself|my mistake)\b", Options)),
        ("method-2", new Regex(@"\b(method 2|second method|another method|another way)\b", Options)),
        ("alternatively", new Regex(@"\balternatively\b", Options)),
        ("rethink", new Regex(@"\b(rethink|reconsider|re-?evaluat\w*|re-?examin\w*|reassess|think again|try again)\b", Options)),
        ("verify", new Regex(@"\b(verify|verifying|verification)\b", Options)),
    ];
}
