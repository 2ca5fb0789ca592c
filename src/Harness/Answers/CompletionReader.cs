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

    /// <param name="text">The completion.</param>
    /// <param name="prompt">Its prompt, when known: a prompt that ends by opening the think block (DeepSeek-R1's, Qwen3's and
    /// some R1-Zero templates) starts the completion inside it.</param>
    public CompletionReading Read(string text, string? prompt = null)
    {
        var answer = AnswerFinder.Find(text, format);
        var open = text.IndexOf(ThinkOpen, StringComparison.Ordinal);
        // Where the block's text starts: after the completion's own <think>, or at its start when the prompt opened the
        // block; under a required layout a completion with no tag and no answer was most likely cut inside that block.
        int? body = open >= 0 ? open + ThinkOpen.Length
            : prompt?.TrimEnd().EndsWith(ThinkOpen, StringComparison.Ordinal) == true || (think == ThinkLayout.Required && answer is null) ? 0
            : null;
        var close = text.IndexOf(ThinkClose, body ?? 0, StringComparison.Ordinal);
        var answerStart = answer?.Markup.Start ?? text.Length;
        TextRange? reasoning = (body, close) switch
        {
            ({ } start, >= 0) => Range(start, close),
            // Unclosed (cut at the token limit): still the reasoning, up to an answer block if one follows, else to the end
            // (a number or box inside the block is a step of the reasoning, not its end).
            ({ } start, _) => Range(start, answer is { Format: "tags" } && answerStart >= start ? answerStart : text.Length),
            // The prompt opened the block (DeepSeek-R1's and Qwen3's chat templates): the completion closes it.
            (null, >= 0) => Range(0, close),
            _ => think == ThinkLayout.Required ? null : Range(0, answerStart),
        };
        var block = close >= 0 ? ThinkBlock.Closed : body is not null ? ThinkBlock.Unclosed : ThinkBlock.None;
        return new CompletionReading(answer, reasoning, block, think == ThinkLayout.Required);
    }

    /// <summary>The answer a stretch of text reaches: its final answer in this format, else its last number or value.</summary>
    public FinalAnswer? Reached(string text) => AnswerFinder.Find(text, format) ?? AnswerFinder.Find(text, AnswerFormat.LastNumber);

    private static TextRange Range(int start, int end) => new(start, Math.Max(0, end - start));
}
