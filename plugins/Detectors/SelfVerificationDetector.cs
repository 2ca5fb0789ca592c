using System.Text.RegularExpressions;
using Harness.Abstractions;
using Harness.Plugins.Shared;

namespace Harness.Plugins.Detectors;

/// <summary>
/// Flags self-verification in each completion, seen two ways: its phrases (<see cref="VerificationPhrases"/>, in 35
/// languages, and any the <c>phrases</c> setting adds) and, whatever the language, a quantity derived again after a
/// first result (<see cref="Rederivation"/>: flag <c>rederived</c>); and whether each sits in the reasoning (the host's
/// reading: the think block, an unclosed one included, or in a completion without think tags the text before its
/// answer). The step's <c>self_verify_rate</c> counts completions that re-check in their reasoning, where real
/// reasoning lives; phrases elsewhere are reported apart (<c>self_verify_rate_anywhere</c>), and flagged
/// <c>phrase-outside-think</c> where the completion has or its layout asks for a think block, because there they are
/// a sign of format hacking.
/// </summary>
[Plugin("self-verification", Description = "self-verification per completion: phrases in 35 languages (and any the phrases setting adds) and results derived again; rate per phrase and overall")]
public sealed class SelfVerificationDetector(PluginSettings settings) : IDetector, IDeclaresOutputs
{
    public const string InThinkFlag = "self-verify";
    public const string OutsideThinkFlag = "phrase-outside-think";
    public const string RederivedFlag = "rederived";

    // Phrases the experiment adds to the tracked ones: setting "phrases" = "name=regex;name=regex" (case-insensitive).
    private readonly IReadOnlyList<(string Name, Regex Pattern)> _extra = [.. UserPhrases(settings)];

    private static readonly IReadOnlyList<(string Name, Regex Pattern)> Tracked = [.. VerificationPhrases.All.Select(p => (p.Name, p.Pattern))];

    public SelfVerificationDetector() : this(new PluginSettings("self-verification")) { }

    public PluginOutputs Outputs => new(
    [
        new MetricInfo("self_verify_rate", "share of completions with a self-verification phrase in the reasoning (the think block)") { Label = "self-verify", OnProgressLine = true },
        new MetricInfo("self_verify_rate_anywhere", "share of completions with a self-verification phrase anywhere"),
        new MetricInfo("rederived_rate", "share of completions whose reasoning derives a result again (restated after new work, reordered, inverted, substituted back, or replaced), in any language") { Label = "rederived" },
        .. Tracked.Concat(_extra).Select(p => new MetricInfo($"phrase/{p.Name}_rate", $"share of completions saying '{p.Name}' in the reasoning") { Label = p.Name, Family = "phrases" }),
    ])
    {
        FailureModes = [new FailureModeInfo("premature plateau", "self_verify_rate", FailureRule.FallFromPeak, 0.2, "plateau-guard", "fix strategy",
            "self-verification rose, then fell back by half or more")],
    };

    public DetectorReport Detect(DetectorInput step)
    {
        var findings = step.Completions.Select(c => Examine(c.Text, Readings.Of(c), c.Prompt, _extra)).ToArray();
        var aggregates = new Dictionary<string, double>
        {
            ["self_verify_rate"] = FindingRates.Flagged(findings, InThinkFlag),
            ["self_verify_rate_anywhere"] = FindingRates.Share(findings, f => f.Flags.Any(flag => flag != RederivedFlag)),
            ["rederived_rate"] = FindingRates.Flagged(findings, RederivedFlag),
        };
        foreach (var (name, _) in Tracked.Concat(_extra))
            aggregates[$"phrase/{name}_rate"] = FindingRates.Share(findings, f => f.Values.GetValueOrDefault($"{name}:in_think") > 0);
        return new DetectorReport(findings, aggregates);
    }

    /// <summary>Finds every tracked phrase, and every one of <paramref name="extra"/>, and every result derived again, in one completion.</summary>
    public static CompletionFindings Examine(string text, CompletionReading reading, string prompt, IReadOnlyList<(string Name, Regex Pattern)>? extra = null)
    {
        var found = VerificationPhrases.In(text);
        var places = new List<(int Index, int Length)>[VerificationPhrases.All.Count + (extra?.Count ?? 0)];
        foreach (var m in found) (places[m.Phrase] ??= []).Add((m.Index, m.Length));
        for (var i = 0; i < (extra?.Count ?? 0); i++)
            foreach (Match m in extra![i].Pattern.Matches(text)) (places[VerificationPhrases.All.Count + i] ??= []).Add((m.Index, m.Length));
        var phrases = Tracked.Concat(extra ?? []).Select((p, i) => (p.Name, Places: places[i]));
        var flags = new List<string>();
        var values = new Dictionary<string, double>();
        var spans = new List<FindingSpan>();
        bool anyInside = false, anyOutside = false;
        foreach (var (name, matches) in phrases)
        {
            if (matches is null) continue;
            var inside = matches.Count(m => Readings.InReasoning(reading, m.Index));
            spans.AddRange(matches.Select(m => new FindingSpan(m.Index, m.Length, name)));
            flags.Add(name);
            values[$"{name}:in_think"] = inside;
            values[$"{name}:outside_think"] = matches.Count - inside;
            anyInside |= inside > 0;
            anyOutside |= inside < matches.Count;
        }
        // A re-derivation counts where its re-check begins; the first one in the reasoning is marked for the report.
        var again = Rederivation.In(text, reading.Answer?.Text, prompt).FirstOrDefault(r => Readings.InReasoning(reading, r.RecheckStart(text)));
        if (again.Kind is { } kind)
        {
            flags.Add(RederivedFlag);
            values[$"{RederivedFlag}:{kind}"] = 1;
            spans.Add(new FindingSpan(again.At, again.End - again.At, RederivedFlag));
            anyInside = true;
        }
        if (anyInside) flags.Add(InThinkFlag);
        if (anyOutside && HasThinkLayout(reading)) flags.Add(OutsideThinkFlag);
        return new CompletionFindings(flags, values) { Spans = [.. spans.OrderBy(s => s.Start)] };
    }

    /// <summary>Whether the completion has a think block or its template asks for one: only then is the reasoning's outside a wrong place.</summary>
    public static bool HasThinkLayout(CompletionReading reading) => reading.ThinkRequired || reading.Think != ThinkBlock.None;

    private static IEnumerable<(string, Regex)> UserPhrases(PluginSettings settings)
    {
        foreach (var entry in settings.GetString("phrases", "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0) throw new PluginSettingsException(settings.PluginName, "phrases", $"has '{entry}', not name=regex");
            Regex pattern;
            try
            {
                pattern = new Regex(entry[(eq + 1)..], RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new PluginSettingsException(settings.PluginName, "phrases", $"has an invalid pattern for '{entry[..eq]}': {e.Message}");
            }
            yield return (entry[..eq].Trim(), pattern);
        }
    }
}
