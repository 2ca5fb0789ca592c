using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Tasks;

/// <summary>
/// A prompt given as a chat list (<c>[{"role": "user", "content": …}]</c>, as verl's and TRL's conversational datasets
/// store it) as the one text the policy is asked: a single user message is its content, which the policy's template then
/// places (e.g. as a ChatML user turn); several messages are rendered as ChatML turns (system, user, assistant…) without
/// the assistant's opening, which the <c>chatml</c> template adds.
/// </summary>
public static class ChatPrompt
{
    public static string Render(JsonArray messages, string where)
    {
        var turns = messages.Select((m, i) => m is JsonObject o && o["role"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && o["content"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? (Role: o["role"]!.GetValue<string>(), Content: o["content"]!.GetValue<string>())
            : throw new HarnessException($"{where}: message {i} of the chat list is not an object with string 'role' and 'content'.")).ToArray();
        if (turns.Length == 0) throw new HarnessException($"{where}: the chat list is empty.");
        if (turns is [{ Role: "user" } only]) return only.Content;
        var text = new StringBuilder();
        foreach (var (role, content) in turns) text.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append("<|im_end|>\n");
        return text.ToString();
    }
}
