namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// Five completions to "What is 17 + 26?" (gold 43) in the shapes of the seed's comparator: what a policy
/// writes at step 0, once it has the format, with a short answer, with a real re-check that fixes a
/// dropped carry, and with a ritual re-check that restates a wrong answer.
/// </summary>
public static class ComparatorCompletions
{
    public const string Prompt = "What is 17 + 26?";
    public const string Gold = "43";

    public static IReadOnlyList<(string Shape, string Text)> All { get; } =
    [
        ("incoherent", "17 26 the sum numbers is is 43 plus cat 9 what"),
        ("format-only", "<think>What is 17 + 26?</think><answer>33</answer>"),
        ("short-answer", "<think>17 + 26 = 43</think><answer>43</answer>"),
        ("real-recheck",
            "<think>7 + 6 = 13, write 3, carry 1. 1 + 2 = 3. So 33. Wait, let me re-check. " +
            "The tens: 1 + 2 + 1 (the carry) = 4. So 43. I confused myself.</think><answer>43</answer>"),
        ("ritual-recheck",
            "<think>17 + 26 = 33. Wait, let me re-check. 17 + 26 = 33. Yes, it is 33.</think><answer>33</answer>"),
    ];

    public static IReadOnlyDictionary<string, string> Task { get; } = new Dictionary<string, string> { ["gold"] = Gold };
}
