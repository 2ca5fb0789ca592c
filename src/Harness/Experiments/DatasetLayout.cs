namespace Harness.Experiments;

/// <summary>How a task file lays out its problems; told apart by content unless <c>tasks.format</c> names one.</summary>
public enum DatasetLayout
{
    /// <summary>Told apart by the first row's fields.</summary>
    Auto,
    /// <summary>Ours: <c>prompt</c>, <c>gold</c>, an optional <c>difficulty</c> (easy, hard, …).</summary>
    Harness,
    /// <summary>GSM8K: <c>question</c>, and <c>answer</c>, a worked solution ending "#### 72".</summary>
    Gsm8k,
    /// <summary>MATH and NuminaMath: <c>problem</c>, and <c>answer</c> or a <c>solution</c> with <c>\boxed{}</c>; MATH's <c>level</c> sets the difficulty.</summary>
    Math,
    /// <summary>verl's preprocessed rows: <c>prompt</c> as a chat list, <c>reward_model.ground_truth</c>, <c>data_source</c>, <c>extra_info</c>.</summary>
    Verl,
    /// <summary>TRL's: <c>prompt</c> as a string or a chat list, with <c>solution</c> or <c>answer</c>.</summary>
    Trl,
}
