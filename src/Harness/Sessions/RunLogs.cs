using Harness.Runs;

namespace Harness.Sessions;

/// <summary>The run's per-step logs, appended step by step, and its TensorBoard events.</summary>
internal sealed record RunLogs(JsonlLog Metrics, JsonlLog Completions, JsonlLog Events, JsonlLog Probes, TensorBoardLog TensorBoard) : IDisposable
{
    /// <summary>The logs of a new run.</summary>
    public static RunLogs Create(RunDirectory run) =>
        new(JsonlLog.Create(run.Metrics), JsonlLog.Create(run.Completions), JsonlLog.Create(run.Events), JsonlLog.Create(run.Probes), new TensorBoardLog(run.Root));

    /// <summary>The logs of a resumed run, each kept through <paramref name="recordedThrough"/>.</summary>
    public static RunLogs Reopen(RunDirectory run, int recordedThrough) =>
        new(JsonlLog.Reopen(run.Metrics, recordedThrough), JsonlLog.Reopen(run.Completions, recordedThrough),
            JsonlLog.Reopen(run.Events, recordedThrough), JsonlLog.Reopen(run.Probes, recordedThrough), new TensorBoardLog(run.Root));

    public void Dispose()
    {
        Metrics.Dispose();
        Completions.Dispose();
        Events.Dispose();
        Probes.Dispose();
    }
}
