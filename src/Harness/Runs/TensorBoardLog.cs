using TorchSharp;
using TorchSharp.Modules;

namespace Harness.Runs;

/// <summary>
/// A run's metrics as TensorBoard event files in its directory (TorchSharp's <c>SummaryWriter</c>: one
/// <c>events.out.tfevents.*</c> file per writer, every metric of every step a scalar), so
/// <c>tensorboard --logdir runs</c> shows the curves while a run trains. A resumed run adds a file for the steps it
/// appends; TensorBoard reads them together.
/// </summary>
public sealed class TensorBoardLog(string directory)
{
    private readonly SummaryWriter _writer = torch.utils.tensorboard.SummaryWriter(directory);

    /// <summary>Every number of one step's metrics, as scalars tagged by the metric's name.</summary>
    public void Write(StepMetrics metrics)
    {
        foreach (var (name, value) in metrics.Values)
            if (value is { } v) _writer.add_scalar(name, (float)v, metrics.Step);
    }
}
