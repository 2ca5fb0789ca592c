using Harness.Experiments;

namespace Harness.Training;

/// <summary>The learning rate at each step of a run, by its schedule.</summary>
public static class LearningRates
{
    /// <summary>The learning rate of 1-based <paramref name="step"/> under an update's schedule.</summary>
    public static double At(UpdateSettings update, int step) => At(update.Schedule, update.LearningRate, update.WarmupSteps, step, update.Steps);

    /// <summary>The learning rate of 1-based <paramref name="step"/> out of <paramref name="steps"/>.</summary>
    public static double At(LearningRateSchedule schedule, double peak, int warmupSteps, int step, int steps)
    {
        if (step <= warmupSteps) return peak * step / (warmupSteps + 1);
        var progress = steps <= warmupSteps + 1 ? 0 : (step - warmupSteps - 1) / (double)(steps - warmupSteps);
        return schedule switch
        {
            LearningRateSchedule.Constant => peak,
            LearningRateSchedule.Linear => peak * (1 - progress),
            LearningRateSchedule.Cosine => peak * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, null),
        };
    }
}
