using System.Globalization;
using System.Runtime.ExceptionServices;

namespace Harness.Plugins;

/// <summary>
/// Runs one plugin call under a time limit. A limited call runs on a pool thread while the engine waits; past
/// the limit the engine stops waiting and fails the call (.NET cannot stop a thread, so the call is abandoned
/// and the process ends with the run). A call made from inside another plugin call (a detector re-scoring a
/// text with the rewards) runs inline, within the outer call's limit.
/// </summary>
public static class PluginCallGuard
{
    [ThreadStatic] private static bool t_insideCall;

    /// <param name="limit">The most the call may take; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="fault">Makes the error for a problem, naming the plugin and the call.</param>
    public static TResult Run<TResult>(Func<TResult> body, TimeSpan limit, Func<string, Exception?, PluginCallException> fault)
    {
        if (t_insideCall || limit == Timeout.InfiniteTimeSpan) return Inline(body, fault);
        var call = Task.Run(() =>
        {
            t_insideCall = true;
            try { return Inline(body, fault); }
            finally { t_insideCall = false; }
        });
        try
        {
            if (!call.Wait(limit))
                throw fault($"no answer within its time limit of {Seconds(limit)} (set timeLimitSeconds on its entry in the experiment, or run.pluginTimeLimitSeconds for every plugin; 0 means no limit)", null);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return call.Result;
    }

    /// <summary>A time limit in seconds from a config: 0 means none.</summary>
    public static TimeSpan Limit(double seconds) => seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan;

    private static TResult Inline<TResult>(Func<TResult> body, Func<string, Exception?, PluginCallException> fault)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not HarnessException and not OutOfMemoryException)
        {
            throw fault($"threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    private static string Seconds(TimeSpan limit) => limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
