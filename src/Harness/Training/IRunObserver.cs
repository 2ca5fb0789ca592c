using Harness.Training;

namespace Harness.Training;

/// <summary>Follows a run as it goes: the command line shows progress through it.</summary>
public interface IRunObserver
{
    /// <param name="what">What is starting, e.g. "run runs/x on cpu".</param>
    void Starting(string what, int firstStep, int lastStep);

    void StepDone(StepMetrics metrics, int lastStep);

    void Note(string message);
}
