using Harness.Abstractions;

namespace Harness.Answers;

/// <summary>
/// Reads completions the way one experiment asks for them: the final answer in its <see cref="AnswerFormat"/> and the
/// reasoning by its <see cref="ThinkLayout"/>. The one place a completion's answer is found: the trainer, the evaluator,
/// <c>scan</c>, <c>serve</c> and the report read completions through it and hand plugins its <see cref="CompletionReading"/>.
/// </summary>
public sealed class CompletionReader(AnswerFormat format, ThinkLayout think)
{
    private const string ThinkOpen = "<think>", ThinkClose = "</think>";

    /// <summary>Other trainers' completions and unknown templates: any answer format, a think block when there is one.</summary>
    public static CompletionReader Default { get; } = new(AnswerFormat.Auto, ThinkLayout.Optional);

    public CompletionReading Read(string text)
    {
        var answer = AnswerFinder.Find(text, format);
        var open = text.IndexOf(ThinkOpen, StringComparison.Ordinal);
        var close = text.IndexOf(ThinkClose, open < 0 ? 0 : open + ThinkOpen.Length, StringComparison.Ordinal);
        var answerStart = answer?.Markup.Start ?? text.Length;
        TextRange? reasoning = (open, close) switch
        {
            ( >= 0, >= 0) => Range(open + ThinkOpen.Length, close),
            // Unclosed (cut at the token limit): still the reasoning, up to an answer block if one follows, else to the end
            // (a number or box inside the block is a step of the reasoning, not its end).
            ( >= 0, _) => Range(open + ThinkOpen.Length, answer is { Format: "tags" } && answerStart > open ? answerStart : text.Length),
            // The prompt opened the block (DeepSeek-R1's and Qwen3's chat templates): the completion closes it.
            (_, >= 0) => Range(0, close),
            _ => think == ThinkLayout.Required ? null : Range(0, answerStart),
        };
        var block = close >= 0 ? ThinkBlock.Closed : open >= 0 ? ThinkBlock.Unclosed : ThinkBlock.None;
        return new CompletionReading(answer, reasoning, block, think == ThinkLayout.Required);
    }

    /// <summary>The answer a stretch of text reaches: its final answer in this format, else its last number or value.</summary>
    public FinalAnswer? Reached(string text) => AnswerFinder.Find(text, format) ?? AnswerFinder.Find(text, AnswerFormat.LastNumber);

    private static TextRange Range(int start, int end) => new(start, Math.Max(0, end - start));
}
