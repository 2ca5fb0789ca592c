using System.Collections.Concurrent;
using System.Globalization;

namespace Harness.Catalog;

/// <summary>
/// Runs one plugin call under a time limit. A limited call runs on a worker thread that belongs to the calling
/// thread (not the thread pool, whose threads an earlier abandoned call or a busy process may hold, which
/// would make a quick call wait) while the caller waits. Past the limit the caller stops waiting and fails the
/// call: .NET cannot stop a thread, so the worker is abandoned with its call, ends when (if) the call returns,
/// and the next call gets a new worker; the process ends with the run. A call made from inside another plugin
/// call (a detector re-scoring a text with the rewards) runs inline, within the outer call's limit. A thread that can be
/// given up whole runs its calls itself under a <see cref="CallWatch"/> instead.
/// </summary>
public static class PluginCallGuard
{
    [ThreadStatic] private static bool t_onWorker;
    [ThreadStatic] private static Worker? t_worker;
    [ThreadStatic] private static CallWatch? t_watch;

    /// <param name="limit">The most the call may take; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="fault">Makes the error for a problem, naming the plugin and the call.</param>
    public static TResult Run<TResult>(Func<TResult> body, TimeSpan limit, Func<string, Exception?, PluginCallException> fault)
    {
        if (t_onWorker || limit == Timeout.InfiniteTimeSpan) return Inline(body, fault);
        if (t_watch is { } watch) return watch.Run(() => Inline(body, fault), limit, fault);
        var call = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The caller sleeps until the call ends (no spinning: a spinning caller takes a core from the worker it waits for).
        var ended = new ManualResetEventSlim(false, spinCount: 0);
        void Work()
        {
            try { call.SetResult(Inline(body, fault)); }
            catch (Exception e) { call.SetException(e); }
            finally { ended.Set(); }
        }
        var worker = t_worker;
        if (worker is null || !worker.TryPost(Work))
        {
            t_worker = worker = new Worker();
            worker.TryPost(Work);
        }
        if (!ended.Wait(limit))
        {
            worker.Retire();
            t_worker = null;
            throw fault(Overran(limit), null);
        }
        return call.Task.GetAwaiter().GetResult();
    }

    /// <summary>Makes the calling thread's limited calls run on it under <paramref name="watch"/> (<see cref="CallWatch"/>).</summary>
    internal static void Watch(CallWatch watch) => t_watch = watch;

    internal static string Overran(TimeSpan limit) =>
        $"no answer within its time limit of {Seconds(limit)} (set timeLimitSeconds on its entry in the experiment, or run.pluginTimeLimitSeconds for every plugin; 0 means no limit)";

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

    /// <summary>
    /// A background thread that runs the calls one thread posts, in order. It ends when retired (after the call
    /// it is stuck in) or after <see cref="IdleTimeout"/> without a call, so threads that stop calling leave none behind.
    /// </summary>
    private sealed class Worker
    {
        private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
        private readonly BlockingCollection<Action> _calls = [];
        private readonly Lock _gate = new();
        private bool _ended;

        public Worker() => new Thread(Loop) { IsBackground = true, Name = "plugin calls" }.Start();

        /// <summary>Queues a call; false when this worker has ended or was retired (the caller then makes a new one).</summary>
        public bool TryPost(Action call)
        {
            lock (_gate)
            {
                if (_ended || _calls.IsAddingCompleted) return false;
                _calls.Add(call);
                return true;
            }
        }

        /// <summary>No more calls: the thread ends once the call it is stuck in returns.</summary>
        public void Retire() => _calls.CompleteAdding();

        private void Loop()
        {
            t_onWorker = true;
            while (true)
            {
                if (_calls.TryTake(out var call, IdleTimeout))
                {
                    call();
                    continue;
                }
                lock (_gate)
                {
                    if (_calls.Count > 0) continue;
                    _ended = true;
                    return;
                }
            }
        }
    }
}
