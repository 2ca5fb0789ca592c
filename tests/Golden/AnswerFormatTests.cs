using Harness.Abstractions;
using Harness.Answers;
using Harness.Core;

namespace Harness.Tests.Golden;

/// <summary>
/// Each answer format finds the final answer real runs write (and nothing where there is none), with spans that point at
/// it; the completion reader finds the reasoning in R1 completions, tag-less ones, unclosed think blocks and blocks the
/// prompt opened.
/// </summary>
public class AnswerFormatTests
{
    [Theory]
    [InlineData("tags", "<think>x</think><answer>43</answer>", "43")]
    [InlineData("tags", "<answer>1</answer> then <answer>2</answer>", "2")]
    [InlineData("tags", "<answer>unclosed", null)]
    [InlineData("tags", "The answer is 5", null)]
    [InlineData("boxed", "so the total is \\boxed{72}.", "72")]
    [InlineData("boxed", "first \\boxed{1}, then I found my mistake and worked the whole sum again from the units column, so \\boxed{\\frac{1}{2}}", "\\frac{1}{2}")]
    [InlineData("boxed", "nested \\boxed{\\frac{\\sqrt{3}}{2}} done", "\\frac{\\sqrt{3}}{2}")]
    [InlineData("boxed", "\\fbox{9}", "9")]
    [InlineData("boxed", "The answer is \\boxed 5.", "5")]
    [InlineData("boxed", "roots \\boxed{2}, \\boxed{3}", "2,3")]
    [InlineData("boxed", "cut at the limit \\boxed{12", null)]
    [InlineData("boxed", "braces \\{ in \\boxed{\\{1,2\\}}", "\\{1,2\\}")]
    [InlineData("boxed", "no box here 12", null)]
    [InlineData("gsm8k", "She has 42 - 30 = 12 left.\n#### 12", "12")]
    [InlineData("gsm8k", "#### 1,000.\nextra line", "1,000")]
    [InlineData("gsm8k", "####", null)]
    [InlineData("answer-is", "So the answer is 42.", "42")]
    [InlineData("answer-is", "Final Answer: The final answer is $28 \\%$. I hope it is correct.", "$28 \\%$")]
    [InlineData("answer-is", "Answer: **C**", "C")]
    [InlineData("answer-is", "The answer is \\boxed{7}. Then more.", "\\boxed{7}")]
    [InlineData("answer-is", "no phrase", null)]
    [InlineData("last-number", "we get 12 apples, then 3.5 more", "3.5")]
    [InlineData("last-number", "x = -7", "-7")]
    [InlineData("last-number", "the ratio is 3/4", "3/4")]
    [InlineData("last-number", "total 1,250 dollars", "1,250")]
    [InlineData("last-number", "so $\\frac{7}{8}$", "\\frac{7}{8}")]
    [InlineData("last-number", "between 3-4 pages", "4")]
    [InlineData("last-number", "none", null)]
    [InlineData("choice", "The answer is (C).", "C")]
    [InlineData("choice", "I pick \\boxed{\\text{(D)}}", "D")]
    [InlineData("choice", "so \\textbf{(B)} 12", "B")]
    [InlineData("choice", "Answer: E", "E")]
    [InlineData("choice", "reasoning...\nA\n", "A")]
    [InlineData("choice", "A train leaves at noon.", null)]
    [InlineData("auto", "<answer>5</answer> and \\boxed{6}", "5")]
    [InlineData("auto", "thinking \\boxed{6}\n#### 7", "6")]
    [InlineData("auto", "GSM style\n#### 7", "7")]
    [InlineData("auto", "so the answer is 8.", "8")]
    [InlineData("auto", "just a number 9 at the end", "9")]
    public void Each_format_finds_the_final_answer(string format, string completion, string? answer)
    {
        var found = AnswerFinder.Find(completion, VariantName.Parse<AnswerFormat>(format, "format"));

        Assert.Equal(answer, found?.Text);
        if (found is null) return;
        // The span covers the answer where a single stretch holds it; the markup covers the span.
        if (!found.Text.Contains(',') || format != "boxed") Assert.Equal(found.Text, completion.Substring(found.Span.Start, found.Span.Length));
        Assert.True(found.Markup.Start <= found.Span.Start && found.Span.End <= found.Markup.End, $"{found.Markup} does not hold {found.Span}");
        Assert.Equal(format == "auto" ? found.Format : format, found.Format);
    }

    [Fact]
    public void Auto_tries_the_documented_order()
    {
        Assert.Equal([AnswerFormat.Tags, AnswerFormat.Boxed, AnswerFormat.Gsm8k, AnswerFormat.AnswerIs, AnswerFormat.LastNumber], AnswerFinder.AutoOrder);
        Assert.Equal("boxed", AnswerFinder.Find("\\boxed{3} and 4", AnswerFormat.Auto)!.Format);
        Assert.Equal("last-number", AnswerFinder.Find("3 and 4", AnswerFormat.Auto)!.Format);
    }

    [Theory]
    // R1: the closed think block is the reasoning.
    [InlineData("required", "<think>a b</think><answer>1</answer>", "a b", ThinkBlock.Closed)]
    // Cut by the token limit inside the block: still the reasoning, to the end.
    [InlineData("required", "<think>so far. Wait, let me check", "so far. Wait, let me check", ThinkBlock.Unclosed)]
    // The prompt opened the block (DeepSeek-R1's and Qwen3's chat templates).
    [InlineData("optional", "reasoning here</think>\n\\boxed{4}", "reasoning here", ThinkBlock.Closed)]
    // No think tags, a \boxed{} template: the text before the answer is the reasoning.
    [InlineData("optional", "Let me double-check: 2+2=4. So \\boxed{4}.", "Let me double-check: 2+2=4. So ", ThinkBlock.None)]
    // A template that asks for a think block, and none: no reasoning.
    [InlineData("required", "no tags \\boxed{4}", null, ThinkBlock.None)]
    public void The_reader_finds_the_reasoning(string think, string completion, string? reasoning, ThinkBlock block)
    {
        var reading = new CompletionReader(AnswerFormat.Auto, VariantName.Parse<ThinkLayout>(think, "think")).Read(completion);

        Assert.Equal(reasoning, reading.Reasoning is { } r ? completion.Substring(r.Start, r.Length) : null);
        Assert.Equal(block, reading.Think);
        Assert.Equal(think == "required", reading.ThinkRequired);
    }

    [Fact]
    public void The_answer_reached_before_a_re_check_falls_back_to_the_last_value()
    {
        var boxed = new CompletionReader(AnswerFormat.Boxed, ThinkLayout.Optional);

        Assert.Equal("115", boxed.Reached("58 + 67 = 115. ")!.Text);
        Assert.Equal("7", boxed.Reached("so \\boxed{7}. ")!.Text);
        Assert.Null(boxed.Reached("no value at all"));
    }
}
