using Harness.Experiments;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The update both trainers make after their backward passes: the loss checked finite, the learning rate by its
/// schedule, gradients clipped to the global norm, then one <see cref="FlatAdamW"/> step.
/// </summary>
public sealed class ModelUpdater(nn.Module model, UpdateSettings settings) : IDisposable
{
    /// <summary>The optimizer, whose state a checkpoint keeps.</summary>
    public FlatAdamW Optimizer { get; } = new(model.parameters(), settings.Beta1, settings.Beta2, UpdateSettings.Eps, settings.WeightDecay);

    public UpdateSettings Settings => settings;

    /// <summary>The scheduled learning rate of 1-based <paramref name="step"/>.</summary>
    public double LearningRateAt(int step) => LearningRates.At(settings, step);

    /// <summary>Zeroes the gradients before a step's backward passes.</summary>
    public void ZeroGradients() => Optimizer.ZeroGradients();

    /// <summary>The loss's value, or an error naming where it went wrong and what to lower.</summary>
    /// <exception cref="HarnessException">The loss is not a finite number.</exception>
    public static float Checked(Tensor loss, string where, string remedy)
    {
        var value = loss.item<float>();
        return float.IsFinite(value) ? value : throw new HarnessException($"{where}: the loss is {value}; {remedy}.");
    }

    /// <summary>Clips the accumulated gradients and takes one step at <paramref name="learningRate"/>; returns the gradient norm before clipping.</summary>
    public double Apply(double learningRate)
    {
        var norm = Optimizer.ClipGradients(settings.GradClip > 0 ? settings.GradClip : double.PositiveInfinity);
        Optimizer.Step(learningRate);
        return norm;
    }

    public void Dispose() => Optimizer.Dispose();
}
