using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The self-verification phrases the detector tracks, each under a short name used in metric names
/// (<c>phrase/&lt;name&gt;_rate</c>). The list covers the seed's phrases and the reflection keywords
/// that R1-Zero replications count (rethink, re-evaluate, alternatively, verify, …), and "wait" and "re-check" in
/// Chinese, Spanish, French and German (<c>wait-zh</c>, <c>recheck-es</c>, …).
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
        // The same moves in the languages R1-style models drift into (R1-Zero's own mixing is Chinese and English).
        // Chinese has no spaces, so no word boundaries there.
        ("wait-zh", new Regex("等等|等一下|等一等|且慢", Options)),
        ("recheck-zh", new Regex("让我(再|重新)?(检查|验证|核对|算)|再(检查|验证|核对|算)一(下|遍)|重新(检查|计算)|我(算|弄)错了", Options)),
        ("wait-es", new Regex(@"\bespera\b", Options)),
        ("recheck-es", new Regex(@"\b(d[ée]jame (re)?(verificar|comprobar|revisar)|verifiquemos|comprobemos|revisemos|vuelvo a (revisar|comprobar|calcular)|me equivoqu[ée])\b", Options)),
        ("wait-fr", new Regex(@"\battend(ez|s)\b", Options)),
        ("recheck-fr", new Regex(@"\b(v[ée]rifions|rev[ée]rifions|laisse-moi v[ée]rifier|je (re)?v[ée]rifie|recalculons|je me suis tromp[ée])\b", Options)),
        ("wait-de", new Regex(@"\b(warte|(?-i:Moment))\b", Options)),
        ("recheck-de", new Regex(@"\b(lass mich (das )?(noch ?(ein)?mal )?(überprüfen|prüfen|nachrechnen)|überprüfen wir|ich prüfe (das )?nach|ich habe mich verrechnet)\b", Options)),
    ];

    /// <summary>
    /// Every match of every tracked phrase in a text, by place (at one place, in the order of <see cref="All"/>). Found
    /// once per text and kept while the text lives: the detectors and rewards of one assembly each ask for the same
    /// completion's phrases, and finding them is most of what they cost.
    /// </summary>
    public static IReadOnlyList<PhraseMatch> In(string text) => Found.GetValue(text, Search);

    private static readonly ConditionalWeakTable<string, PhraseMatch[]> Found = new();

    private static PhraseMatch[] Search(string text) =>
        [.. All.SelectMany((phrase, i) => phrase.Pattern.Matches(text).Select(m => new PhraseMatch(i, m.Index, m.Length))).OrderBy(m => m.Index)];
}

/// <summary>A tracked phrase found in a text.</summary>
/// <param name="Phrase">Its place in <see cref="VerificationPhrases.All"/>.</param>
internal readonly record struct PhraseMatch(int Phrase, int Index, int Length)
{
    public string Name => VerificationPhrases.All[Phrase].Name;
}
