using Harness.Runs;

namespace Harness.Sweeps;

/// <summary>Where one run of a sweep stands.</summary>
public enum SweepRunStatus
{
    /// <summary>No run directory yet.</summary>
    Absent,
    /// <summary>Started, not finished, with a checkpoint: <c>harness resume</c> goes on from it.</summary>
    Resumable,
    /// <summary>Started, not finished, without a checkpoint: it starts again (the old folder is kept beside it).</summary>
    Restartable,
    /// <summary>Every step of its config is recorded.</summary>
    Finished,
}

/// <summary>Tells where a run directory stands, from its files alone.</summary>
public static class SweepRunState
{
    public static SweepRunStatus Of(string dir)
    {
        if (!Directory.Exists(dir)) return SweepRunStatus.Absent;
        var run = new RunDirectory(dir);
        if (File.Exists(run.Config))
        {
            var steps = RunFile.Read<Experiments.ExperimentConfig>(run.Config, "the run's config").Run.Steps;
            if (JsonlLog.LastCompleteStep(run.Metrics) >= steps) return SweepRunStatus.Finished;
        }
        return Directory.Exists(run.Checkpoints) && Checkpoint.List(run.Checkpoints).Count > 0 ? SweepRunStatus.Resumable : SweepRunStatus.Restartable;
    }
}
