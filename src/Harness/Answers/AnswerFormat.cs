namespace Harness.Answers;

/// <summary>Where a completion's final answer is written; the names are the config's and <c>--answer-format</c>'s.</summary>
public enum AnswerFormat
{
    /// <summary>Inside the last <c>&lt;answer&gt;…&lt;/answer&gt;</c> block (R1-Zero's template).</summary>
    Tags,
    /// <summary>Inside the last <c>\boxed{…}</c> or <c>\fbox{…}</c> (nested braces; <c>\boxed 5</c>; adjacent boxes joined by commas).</summary>
    Boxed,
    /// <summary>After the last <c>####</c>, to the end of its line (GSM8K's solutions).</summary>
    Gsm8k,
    /// <summary>After the last "The answer is", "The final answer is", "Final Answer:" or "Answer:", to the end of the sentence.</summary>
    AnswerIs,
    /// <summary>The last number: an integer, a decimal, a fraction a/b or <c>\frac{a}{b}</c>, with its sign.</summary>
    LastNumber,
    /// <summary>A multiple-choice letter A–E: <c>\boxed{C}</c>, "answer is (C)", <c>(C)</c>, <c>\text{(C)}</c>, <c>\textbf{C}</c>, <c>**C**</c>, or a line that is only the letter.</summary>
    Choice,
    /// <summary>The first format that finds an answer, in this order: tags, boxed, gsm8k, answer-is, last-number.</summary>
    Auto,
}

/// <summary>Whether the prompt's template asks for a think block.</summary>
public enum ThinkLayout
{
    /// <summary>A completion's think block is its reasoning when it has one; without think tags, the text before its answer is.</summary>
    Optional,
    /// <summary>The template asks for <c>&lt;think&gt;…&lt;/think&gt;</c> (R1-Zero's): a completion without a think block has no reasoning.</summary>
    Required,
}
