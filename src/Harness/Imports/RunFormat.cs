namespace Harness.Imports;

/// <summary>The kinds of run this harness reads (<c>--format</c> names them in kebab case).</summary>
public enum RunFormat
{
    /// <summary>Our own run directory (metrics.jsonl, completions.jsonl, …).</summary>
    Harness,

    /// <summary>A TRL GRPOTrainer output or checkpoint folder, or its trainer_state.json.</summary>
    Trl,

    /// <summary>A verl run: its file-logger JSON Lines, its console log, its rollout dumps, or a folder of them.</summary>
    Verl,

    /// <summary>An OpenRLHF run: the TensorBoard events it writes (a folder of them, or one file).</summary>
    Openrlhf,

    /// <summary>Plain JSON Lines of completions (prompt, completion, optional step and gold).</summary>
    Completions,
}
