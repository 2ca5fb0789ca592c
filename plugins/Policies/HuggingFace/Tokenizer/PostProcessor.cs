namespace Harness.Plugins.Policies.HuggingFace.Tokenizer;

/// <summary>
/// A tokenizer's <c>post_processor</c> for a single sequence: the special tokens it wraps an encoding in (Llama's
/// <c>&lt;s&gt;</c> in front) when special tokens are asked for. ByteLevel's offset trimming changes no id.
/// </summary>
public sealed record PostProcessor(int[] Before, int[] After)
{
    public const string Supported = "TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing, Sequence";

    public static readonly PostProcessor None = new([], []);

    public static PostProcessor Parse(JsonField field)
    {
        if (field.IsNull) return None;
        switch (field.Type)
        {
            case "ByteLevel":
                return None;
            case "Sequence":
                var steps = field["processors"].Items.Select(Parse).ToArray();
                return new PostProcessor([.. steps.SelectMany(s => s.Before)], [.. steps.Reverse().SelectMany(s => s.After)]);
            case "RobertaProcessing" or "BertProcessing":
                return new PostProcessor([IdOfPair(field["cls"])], [IdOfPair(field["sep"])]);
            case "TemplateProcessing":
                var special = field["special_tokens"].Properties.ToDictionary(p => p.Key, p => p.Field["ids"].Items.Select(i => i.Int()).ToArray());
                var (before, after, seen) = (new List<int>(), new List<int>(), false);
                foreach (var item in field["single"].Items)
                {
                    if (item.Has("Sequence"))
                    {
                        seen = true;
                        continue;
                    }
                    var name = item["SpecialToken"]["id"].String();
                    var ids = special.TryGetValue(name, out var found) ? found : throw item["SpecialToken"]["id"].Error("is not in special_tokens");
                    (seen ? after : before).AddRange(ids);
                }
                return new PostProcessor([.. before], [.. after]);
            default:
                throw field.Unsupported("post-processor", Supported);
        }
    }

    // Roberta and Bert write their tokens as ["<s>", 0]: the string, then the id.
    private static int IdOfPair(JsonField pair) => pair.Items.ToArray() is [_, var id] ? id.Int() : throw pair.Error("must be [token, id]");
}
