using System.Globalization;
using System.Runtime.CompilerServices;

namespace Harness.Plugins.Shared;

/// <summary>
/// Self-verification seen without a phrase list, from the reasoning's arithmetic alone, so it holds in any language:
/// after a first result, the same quantity is derived again. The shapes that count:
/// <list type="bullet">
/// <item><c>replaced</c>: the same computation again with another result, or the computation the prompt writes (What is
/// 58 + 67?) given a result the final answer later replaces (a slip corrected);</item>
/// <item><c>reordered</c>: the same sum or product written again with its operands in another order (67 + 58 after 58 + 67);</item>
/// <item><c>inverse</c>: a result taken back to an operand (58 + 67 = 125, then 125 − 67 = 58);</item>
/// <item><c>substituted</c>: the final answer put back into a computation that gives a number of the prompt, or into two
/// computations that agree (both sides of an equation);</item>
/// <item><c>recomputed</c>: the final answer, once reached, reached again: by new computations on the same inputs (their
/// digits, and carries) that do not use it, then the answer again (a column-by-column re-check), or as the result of
/// another computation of another chain (another method).</item>
/// </list>
/// A computation written again word for word is a restated conclusion, not a re-check. A computation is numbers joined by
/// operators (<see cref="MathTokens"/>) followed by <c>=</c> and a number, or a fraction equated to its value; one with
/// a letter in it is an equation to solve, not a computation, and is left out, so "x = 5" restated as a conclusion is no
/// re-check.
/// </summary>
internal static class Rederivation
{
    /// <summary>Every place a completion derives a quantity again, in order, with its shape; found once per completion.</summary>
    /// <param name="text">The completion.</param>
    /// <param name="answer">The final answer's text, when there is one.</param>
    /// <param name="prompt">The prompt, whose numbers a substitution check gives back.</param>
    public static IReadOnlyList<Rederived> In(string text, string? answer, string prompt)
    {
        var cache = Found.GetValue(text, _ => []);
        lock (cache)
        {
            if (!cache.TryGetValue((answer, prompt), out var found)) cache[(answer, prompt)] = found = Search(text, answer, prompt);
            return found;
        }
    }

    private static readonly ConditionalWeakTable<string, Dictionary<(string?, string), Rederived[]>> Found = new();

    private static Rederived[] Search(string text, string? answer, string prompt)
    {
        var tokens = MathTokens.Of(text, 0);
        var (computations, expressions) = Computations(tokens);
        if (expressions.Count < 2 && computations.Count < 2) return [];
        var (promptNumbers, question) = Prompts.GetValue(prompt, Read);
        double? final = answer is null ? null : MathTokens.Value(answer);
        var found = new List<Rederived>();
        void Consider(int at, int end, int from, string kind)
        {
            if (!found.Any(f => f.At == at)) found.Add(new Rederived(at, end, from, kind));
        }
        // The same expression again: in another order, or with another result.
        for (var j = 1; j < expressions.Count; j++)
            for (var i = 0; i < j; i++)
                if (expressions[i].Key == expressions[j].Key && expressions[i].Chain != expressions[j].Chain)
                {
                    if (expressions[i].Result is { } a && expressions[j].Result is { } b && !Same(a, b)) Consider(expressions[j].Start, expressions[j].End, expressions[i].End, "replaced");
                    else if (expressions[i].Written != expressions[j].Written) Consider(expressions[j].Start, expressions[j].End, expressions[i].End, "reordered");
                }
        for (var j = 0; j < computations.Count; j++)
        {
            var later = computations[j];
            foreach (var earlier in computations.Take(j).Where(e => e.Chain != later.Chain && e.Key != later.Key && e.Operator != later.Operator))
                if (later.Operands.Any(o => Same(o, earlier.Result)) && earlier.Operands.Any(o => Same(o, later.Result)))
                    Consider(later.Start, later.End, earlier.End, "inverse");
            // The answer put back: a computation with it gives a number of the prompt, or gives what another computation
            // with it gave (both sides of an equation agree).
            if (final is { } v && later.Operands.Any(o => Same(o, v)) && tokens.Any(t => t.Kind == TokenKind.Number && t.End <= later.Start && Same(t.Value, v))
                && (promptNumbers.Any(p => Same(p, later.Result))
                    || computations.Take(j).Any(e => e.Key != later.Key && e.Operands.Any(o => Same(o, v)) && Same(e.Result, later.Result))))
                Consider(later.Start, later.End, later.Start, "substituted");
        }
        if (final is { } value)
        {
            if (Replaced(computations, question, value, tokens) is { } replaced) Consider(replaced.At, replaced.End, replaced.From, "replaced");
            if (Recomputed(tokens, computations, value) is { } recomputed) Consider(recomputed.At, recomputed.End, recomputed.From, "recomputed");
        }
        return [.. found.OrderBy(f => f.At)];
    }

    /// <summary>
    /// A prompt's numbers, and the computation it asks for when it writes one that ends its sentence (What is 58 + 67?):
    /// its key; none for a word problem, or one whose computation is only part of the question (By how much does 1.5^2
    /// exceed 2?).
    /// </summary>
    private static PromptArithmetic Read(string prompt)
    {
        var question = prompt.AsSpan(Math.Max(0, prompt.Length - 2000));
        var tokens = MathTokens.Of(question, 0);
        var numbers = tokens.Where(t => t.Kind == TokenKind.Number).Select(t => t.Value).ToHashSet();
        string? last = null;
        var run = new List<MathToken>();
        foreach (var token in tokens.Append(new MathToken(TokenKind.Break, 0, 0, "", 0, false)))
        {
            if (token.Kind is TokenKind.Number or TokenKind.Operator or TokenKind.Paren) { run.Add(token); continue; }
            if (Arithmetic([.. run]) is { } expression && expression.Any(t => t.Kind == TokenKind.Operator) && !WordFollows(question, expression[^1].End))
                last = Key(expression, ordered: true);
            run.Clear();
        }
        return new PromptArithmetic(numbers, last);
    }

    /// <summary>A prompt's numbers, which a substitution check gives back, and the computation it asks for; read once per prompt.</summary>
    private sealed record PromptArithmetic(HashSet<double> Numbers, string? Question);

    private static readonly ConditionalWeakTable<string, PromptArithmetic> Prompts = new();

    /// <summary>Whether a word goes on after a position, past spaces and the marks that close inline math.</summary>
    private static bool WordFollows(ReadOnlySpan<char> text, int at)
    {
        var rest = text[at..].TrimStart(" \t$\\)]}");
        return rest.Length > 0 && RegexClasses.IsLetter(rest[0]);
    }

    /// <summary>The prompt's own computation given a result the final answer differs from, then more work reaching the answer (a slip corrected).</summary>
    private static Rederived? Replaced(List<Computation> computations, string? question, double answer, IReadOnlyList<MathToken> tokens)
    {
        if (question is null) return null;
        var whole = computations.FindIndex(c => c.Key == question && !Same(c.Result, answer));
        if (whole < 0 || whole + 1 >= computations.Count) return null;
        var next = computations[whole + 1];
        return tokens.Any(t => t.Kind == TokenKind.Number && t.Start >= next.Start && Same(t.Value, answer))
            ? new Rederived(next.Start, next.End, computations[whole].End, "replaced")
            : null;
    }

    /// <summary>
    /// The answer reached (as a computation's result, or written after some computations), then reached again: after new
    /// computations on its inputs alone (their digits, and the carries 0, 1 and 10) that do not use it, or as the result
    /// of another chain's different computation. The second derivation, from its first computation.
    /// </summary>
    private static Rederived? Recomputed(IReadOnlyList<MathToken> tokens, List<Computation> computations, double answer)
    {
        if (computations.Count == 0) return null;
        var origin = computations.FindIndex(c => Same(c.Result, answer));
        int reachedEnd;
        IEnumerable<Computation> before;
        if (origin >= 0)
        {
            reachedEnd = computations[origin].End;
            before = [computations[origin]];
        }
        else
        {
            // Written without an equals sign ("That gives 4122."), after the work that reached it.
            var written = tokens.FirstOrDefault(t => t.Kind == TokenKind.Number && !t.Operand && Same(t.Value, answer) && t.Start > computations[0].End);
            if (written.Kind != TokenKind.Number || written.End == 0) return null;
            reachedEnd = written.End;
            before = computations.Where(c => c.End <= written.Start);
        }
        var inputs = before.SelectMany(c => c.Operands).SelectMany(n => Digits(n).Append(n)).Concat([0, 1, 10]).ToHashSet();
        var originKeys = before.Select(c => c.Key).ToHashSet();
        var originChains = before.Select(c => c.Chain).ToHashSet();
        foreach (var work in computations.Where(c => c.Start >= reachedEnd))
        {
            if (work.Operands.Any(o => Same(o, answer))) continue;
            // Another method: a different computation, in a chain of its own, with the answer as its result.
            if (Same(work.Result, answer) && !originKeys.Contains(work.Key) && !originChains.Contains(work.Chain))
                return new Rederived(work.Start, work.End, reachedEnd, "recomputed");
            if (originKeys.Contains(work.Key) && origin >= 0 || !work.Operands.All(inputs.Contains)) continue;
            // The same inputs worked again, then the answer again: as a result, or standing alone (not an operand).
            if (computations.Any(c => c.Start >= work.Start && Same(c.Result, answer))
                || tokens.Any(t => t.Kind == TokenKind.Number && t.Start >= work.End && Same(t.Value, answer) && !t.Operand))
                return new Rederived(work.Start, work.End, reachedEnd, "recomputed");
        }
        return null;
    }

    private static IEnumerable<double> Digits(double number) =>
        number is >= 10 and < 1e9 && number == Math.Floor(number) ? ((long)number).ToString(CultureInfo.InvariantCulture).Select(d => (double)(d - '0')) : [];

    private static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    /// <summary>
    /// The computations (a left side, <c>=</c>, a number) in order, each step of a chain and the chain's first side with
    /// its last value; and every left side of an <c>=</c> with two or more numbers and an operator (an expression, with
    /// its result when a number follows).
    /// </summary>
    private static (List<Computation> Computations, List<Expression> Expressions) Computations(IReadOnlyList<MathToken> tokens)
    {
        var computations = new List<Computation>();
        var expressions = new List<Expression>();
        var run = 0;
        var chain = 0;
        List<MathToken[]> open = [];
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == TokenKind.Break)
            {
                (run, open) = (i + 1, []);
                chain++;
                continue;
            }
            if (tokens[i].Kind != TokenKind.Equals) continue;
            var side = tokens.Skip(run).Take(i - run).ToArray();
            run = i + 1;
            // The right side is a number alone (= 15, then a break, another = or the end), or it goes on as an expression.
            var numberFollows = i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Number && (i + 2 >= tokens.Count || tokens[i + 2].Kind is TokenKind.Break or TokenKind.Equals);
            if (Arithmetic(side) is { } left)
            {
                open.Add(left);
                expressions.Add(new Expression(left[0].Start, tokens[i - 1].End, Key(left, ordered: true), Key(left, ordered: false), chain, numberFollows ? tokens[i + 1].Value : null));
            }
            if (!numberFollows) continue;
            foreach (var expression in open)
                computations.Add(new Computation(expression[0].Start, tokens[i + 1].End, Key(expression, ordered: true), [.. Operands(expression)],
                    expression.FirstOrDefault(t => t.Kind == TokenKind.Operator).Text ?? "/", tokens[i + 1].Value, chain));
            open = [];
        }
        return (computations, expressions);
    }

    /// <summary>A side that is arithmetic: two or more numbers joined by operators (not starting with one), or one fraction.</summary>
    private static MathToken[]? Arithmetic(MathToken[] side) =>
        side.Length > 0 && side[0].Kind != TokenKind.Operator && side.All(t => t.Kind != TokenKind.Equals)
        && (Operands(side).Count() >= 2 && side.Any(t => t.Kind == TokenKind.Operator) || side is [{ Kind: TokenKind.Number, Fraction: not null }])
            ? side
            : null;

    private static IEnumerable<double> Operands(MathToken[] side) =>
        side.Where(t => t.Kind == TokenKind.Number).SelectMany(t => t.Fraction is { } f && side.Length == 1 ? [f.Numerator, f.Denominator] : new[] { t.Value });

    /// <summary>
    /// A left side as text; <paramref name="ordered"/>, with the operands of a plain sum or product sorted, so 67 + 58 is
    /// 58 + 67.
    /// </summary>
    private static string Key(MathToken[] side, bool ordered)
    {
        var operators = side.Where(t => t.Kind == TokenKind.Operator).Select(t => t.Text).Distinct().ToArray();
        var numbers = side.Where(t => t.Kind == TokenKind.Number).Select(Written).ToArray();
        return ordered && operators is ["+"] or ["*"] && side.All(t => t.Kind is TokenKind.Number or TokenKind.Operator)
            ? operators[0] + string.Join(operators[0], numbers.Order(StringComparer.Ordinal))
            : string.Concat(side.Select(t => t.Kind == TokenKind.Number ? Written(t) : t.Text));
    }

    private static string Written(MathToken number) =>
        number.Fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f.Numerator:R}/{f.Denominator:R}") : number.Value.ToString("R", CultureInfo.InvariantCulture);

    /// <param name="Chain">Computations of one chain (a = b = c, no word between) are one derivation.</param>
    private sealed record Computation(int Start, int End, string Key, double[] Operands, string Operator, double Result, int Chain);

    /// <param name="Key">The left side, a sum's or a product's operands sorted.</param>
    /// <param name="Written">The left side as written.</param>
    private sealed record Expression(int Start, int End, string Key, string Written, int Chain, double? Result);
}

/// <summary>A quantity derived again: where the second derivation starts and ends, where the first ended, and which shape it has.</summary>
internal readonly record struct Rederived(int At, int End, int From, string Kind)
{
    /// <summary>Where the re-check begins: the start of the sentence of the second derivation (a tag such as &lt;/think&gt; ends one too), not before the first ended.</summary>
    public int RecheckStart(string text) => Math.Max(From, text.AsSpan(0, At).LastIndexOfAny(".!?\n。！？>") + 1);
}
