using Harness.Abstractions;
using Harness.Runs;

namespace Harness.Training;

/// <summary>Follows a run as it goes: the command line shows progress through it.</summary>
public interface IRunObserver
{
    /// <param name="what">What is starting, e.g. "run runs/x on cpu".</param>
    /// <param name="shown">Metrics the plugins declare for the progress line, besides the observer's own.</param>
    void Starting(string what, int firstStep, int lastStep, IReadOnlyList<MetricInfo> shown);

    void StepDone(StepMetrics metrics, int lastStep);

    void Note(string message);
}
