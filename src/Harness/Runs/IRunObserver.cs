using Harness.Training;

namespace Harness.Runs;

/// <summary>Follows a run as it goes: the command line shows progress through it.</summary>
public interface IRunObserver
{
    void Starting(RunDirectory run, int firstStep, int lastStep, string device);

    void StepDone(StepMetrics metrics, int lastStep);

    void Note(string message);
}
