using System.Globalization;
using Harness.Catalog;
using Harness.Runs;

namespace Harness.Sessions;

/// <summary>Every stop of a run on an error is recorded in its errors.jsonl, with what the directory keeps.</summary>
internal static class RunRecording
{
    /// <summary>
    /// Runs the part of a run that writes to its directory. An error there (a faulty plugin, a NaN loss, a bug) is
    /// appended to errors.jsonl; one the user can fix is explained with what the directory keeps and how to go on.
    /// </summary>
    public static void Guard(RunDirectory run, Action work)
    {
        try
        {
            work();
        }
        catch (HarnessException e)
        {
            var kept = Record(run, e);
            var checkpoints = Checkpoint.List(run.Checkpoints);
            var next = kept < 1 ? "no step was completed" : $"steps 1–{kept} are kept" + (checkpoints.Count > 0
                ? $", newest checkpoint {Path.GetFileName(checkpoints[^1].Path)}; after fixing the cause, `harness resume {run.Root}` goes on from it"
                : "");
            throw new HarnessException($"{e.Message} The run stopped after step {kept}; {next} (the error is in errors.jsonl).", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Record(run, e);
            throw;
        }
    }

    /// <summary>Appends the error to errors.jsonl (never truncated, unlike the per-step logs); returns the last complete step.</summary>
    internal static int Record(RunDirectory run, Exception error)
    {
        var kept = JsonlLog.LastCompleteStep(run.Metrics);
        var call = error as PluginCallException;
        File.AppendAllText(run.Errors, RunFile.Line(new ErrorRecord(kept, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), error.Message,
            call?.Plugin, call is null ? null : PluginKinds.Label(call.Kind), call?.Call)) + "\n");
        return kept;
    }

}
