namespace Harness.Plugins.Policies.HuggingFace;

/// <summary>
/// How a task's prompt is put before the model: as it is (<c>none</c>), in DeepSeek-R1-Zero's template for base models
/// (<c>r1-zero</c>, the reasoning asked for inside &lt;think&gt; and the answer inside &lt;answer&gt;, as in the
/// R1 paper's Table 1; read its completions with answer format <c>tags</c>, think <c>required</c>), in Qwen2.5-Math's
/// (<c>qwen-math</c>: a ChatML turn after the system prompt "Please reason step by step, and put your final answer within
/// \boxed{}.", as SimpleRL-Zoo and Dr. GRPO prompt Qwen-Math bases; answer format <c>boxed</c>), as a ChatML user turn
/// with the assistant's turn opened (<c>chatml</c>, Qwen's chat format; a prompt that is already a ChatML conversation,
/// as a task file's chat list of several messages becomes, only gets the assistant's turn opened), or from a text file
/// in which <c>{prompt}</c> stands for the prompt. A model's Jinja <c>chat_template</c> is not rendered.
/// </summary>
public sealed record PromptTemplate(string Name, string Text)
{
    private const string Slot = "{prompt}";

    public static readonly PromptTemplate None = new("none", Slot);

    public static readonly PromptTemplate R1Zero = new("r1-zero",
        "A conversation between User and Assistant. The User asks a question, and the Assistant solves it. The Assistant first thinks about "
        + "the reasoning process in the mind and then provides the User with the answer. The reasoning process is enclosed within <think> "
        + "</think> and answer is enclosed within <answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> "
        + "<answer> answer here </answer>. User: " + Slot + " Assistant:");

    public static readonly PromptTemplate ChatMl = new("chatml", "<|im_start|>user\n" + Slot + "<|im_end|>\n<|im_start|>assistant\n");

    public static readonly PromptTemplate QwenMath = new("qwen-math",
        "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" + ChatMl.Text);

    private const string ChatTurn = "<|im_start|>";

    /// <summary>A built-in template by name; null for another name.</summary>
    public static PromptTemplate? Named(string name) => name switch
    {
        "none" => None,
        "r1-zero" => R1Zero,
        "chatml" => ChatMl,
        "qwen-math" => QwenMath,
        _ => null,
    };

    public const string Names = "none, r1-zero, qwen-math, chatml";

    /// <summary>A template file: UTF-8 text with <c>{prompt}</c> where the prompt goes.</summary>
    public static PromptTemplate FromFile(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such template file.");
        var text = File.ReadAllText(path);
        if (!text.Contains(Slot, StringComparison.Ordinal)) throw new InvalidDataException($"{path}: the template has no {Slot} to put the prompt in.");
        return new PromptTemplate(path, text);
    }

    public string Apply(string prompt) =>
        ReferenceEquals(this, ChatMl) && prompt.StartsWith(ChatTurn, StringComparison.Ordinal)
            ? prompt + "<|im_start|>assistant\n"
            : Text.Replace(Slot, prompt, StringComparison.Ordinal);
}
