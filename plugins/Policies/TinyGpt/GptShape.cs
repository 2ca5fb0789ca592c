using Harness.Abstractions;

namespace Harness.Plugins.Policies.TinyGpt;

/// <summary>The size of a tiny GPT, from the policy's settings.</summary>
public sealed record GptShape(int Layers, int Width, int Heads, int Context)
{
    public int HeadWidth => Width / Heads;

    public static GptShape From(PluginSettings settings)
    {
        var shape = new GptShape(
            settings.GetInt("layers", 3),
            settings.GetInt("width", 96),
            settings.GetInt("heads", 4),
            settings.GetInt("context", 160));
        if (shape.Layers < 1) throw new PluginSettingsException("tiny-gpt", "layers", $"must be at least 1, got {shape.Layers}");
        if (shape.Heads < 1 || shape.Width < shape.Heads || shape.Width % shape.Heads != 0)
            throw new PluginSettingsException("tiny-gpt", "width", $"must be a positive multiple of 'heads' ({shape.Heads}), got {shape.Width}");
        if (shape.Context < 8) throw new PluginSettingsException("tiny-gpt", "context", $"must be at least 8, got {shape.Context}");
        return shape;
    }
}
