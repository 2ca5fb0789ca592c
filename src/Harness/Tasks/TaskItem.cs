namespace Harness.Tasks;

/// <summary>One problem: its prompt, its gold answer and every field handed to reward plugins.</summary>
/// <param name="Difficulty">A label such as <c>easy</c> or <c>hard</c>; empty when the source gives none.</param>
/// <param name="Fields">The task's columns as rewards see them (<c>gold</c>, <c>difficulty</c>, …).</param>
public sealed record TaskItem(string Prompt, string Gold, string Difficulty, IReadOnlyDictionary<string, string> Fields);
