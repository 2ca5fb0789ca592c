using System.Globalization;
using Harness.Abstractions;
using Harness.Experiments;
using Harness.Tasks;

namespace Harness.Training;

/// <summary>
/// What a training run will hold in memory, estimated before it starts: the policy's weights, their gradients, AdamW's
/// two moments, the frozen reference when one is kept, and the larger of two peaks that never meet: the backward
/// pass's (the activations of one micro-batch as the policy declares them, <see cref="IMemoryFootprint"/>, plus one
/// gradient of the largest parameter made before it is added into its .grad) and the optimizer step's (<see cref="FlatAdamW"/>
/// makes one temporary the size of all the parameters, the denominator, and frees it as the step ends). On the CPU a run
/// that cannot fit in the memory the machine reports is refused.
/// </summary>
public sealed record MemoryEstimate(long Weights, long Gradients, long Optimizer, long Reference, long? Activations, long GradientInFlight, long StepTemporaries)
{
    public long Total => Weights + Gradients + Optimizer + Reference + Math.Max((Activations ?? 0) + GradientInFlight, StepTemporaries);

    public static MemoryEstimate? Of(ExperimentConfig config, ExperimentPlugins plugins, TaskSet tasks)
    {
        if (plugins.Policy is not ITrainablePolicy trainable) return null;
        var keepsReference = config.Grpo.Beta > 0 || plugins.Fixes.Count > 0;
        var completions = config.Grpo.PromptsPerStep * config.Grpo.GroupSize;
        var microBatch = config.Grpo.MicroBatch > 0 ? Math.Min(config.Grpo.MicroBatch, completions) : completions;
        var longest = tasks.TrainingBatch(1, config.Grpo.PromptsPerStep).Concat(tasks.EvalEasy).Concat(tasks.EvalHard)
            .Select(t => t.Prompt).DefaultIfEmpty("").MaxBy(p => p.Length)!;
        var activations = (plugins.Policy as IMemoryFootprint)?.ActivationBytes(microBatch, longest, config.Sampling.MaxNewTokens);
        return For(trainable.Model, keepsReference, activations);
    }

    /// <summary>The estimate for training <paramref name="model"/> with AdamW, given the activations of one micro-batch.</summary>
    public static MemoryEstimate For(TorchSharp.torch.nn.Module model, bool keepsReference, long? activations)
    {
        var sizes = model.parameters().Select(p => p.numel() * p.element_size()).ToArray();
        var weights = sizes.Sum();
        // AdamW keeps both moments in the parameters' dtype.
        return new MemoryEstimate(weights, weights, 2 * weights, keepsReference ? weights : 0, activations, sizes.DefaultIfEmpty(0).Max(), weights);
    }

    /// <summary>One line: each part and the total, against what the machine has.</summary>
    public string Describe(long available) =>
        $"memory estimate: weights {GiB(Weights)}, gradients {GiB(Gradients)}, AdamW {GiB(Optimizer)}, reference {GiB(Reference)}, "
        + $"then the larger of the backward pass (activations {(Activations is { } a ? GiB(a) : "not declared by the policy")} and a gradient in flight {GiB(GradientInFlight)}) "
        + $"and the AdamW step's temporaries ({GiB(StepTemporaries)}): {GiB(Total)} of {GiB(available)} the machine reports";

    /// <exception cref="HarnessException">The estimate is over <paramref name="available"/>; the message says what to change.</exception>
    public void RequireFits(long available)
    {
        if (Total <= available) return;
        throw new HarnessException($"The run does not fit: {Describe(available)}. Lower grpo.microBatch (completions scored at once), "
            + "turn on the policy's gradient checkpointing or bfloat16 dtype if it has them, or use a smaller model.");
    }

    /// <summary>The memory this process may use: the machine's, or its container's limit when lower.</summary>
    public static long Available() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static string GiB(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString(bytes < 1L << 30 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " GiB";
}
