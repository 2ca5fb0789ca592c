using System.Diagnostics;

namespace Harness.Catalog;

/// <summary>
/// Time limits for a thread that can be given up whole (a lane of <c>harness serve</c>): its plugin calls run on the
/// thread itself, with no hand-off to a worker, while a watchdog checks their deadlines. A call past its limit is failed
/// through <c>overran</c> (the owner fails the work it was doing and starts a replacement) and the thread is abandoned:
/// it ends with <see cref="CallAbandonedException"/> when (if) the call returns. Calls nested in a call run within the
/// outer call's limit.
/// </summary>
public sealed class CallWatch
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private static readonly List<CallWatch> Watched = [];
    private static Timer? s_watchdog;

    private readonly Lock _gate = new();
    private readonly Action<PluginCallException> _overran;
    private long _deadline;
    private bool _inCall, _abandoned;
    private TimeSpan _limit;
    private Func<string, Exception?, PluginCallException>? _fault;

    /// <param name="overran">Called (on the watchdog's thread) with the error of a call past its limit.</param>
    public CallWatch(Action<PluginCallException> overran) => _overran = overran;

    /// <summary>Makes this watch hold the time limits of the calling thread's plugin calls, for the thread's life.</summary>
    public void WatchThisThread()
    {
        PluginCallGuard.Watch(this);
        lock (Watched)
        {
            Watched.Add(this);
            s_watchdog ??= new Timer(_ => Check(), null, Tick, Tick);
        }
    }

    internal TResult Run<TResult>(Func<TResult> call, TimeSpan limit, Func<string, Exception?, PluginCallException> fault)
    {
        bool nested;
        lock (_gate)
        {
            if (_abandoned) throw new CallAbandonedException();
            nested = _inCall;
            if (!nested) (_inCall, _limit, _fault, _deadline) = (true, limit, fault, Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency));
        }
        if (nested) return call();
        try
        {
            return call();
        }
        finally
        {
            lock (_gate)
            {
                _inCall = false;
                if (_abandoned) throw new CallAbandonedException();
            }
        }
    }

    private static void Check()
    {
        CallWatch[] watched;
        lock (Watched) watched = [.. Watched];
        var now = Stopwatch.GetTimestamp();
        foreach (var watch in watched)
        {
            PluginCallException? error = null;
            lock (watch._gate)
                if (watch._inCall && !watch._abandoned && now > watch._deadline)
                {
                    watch._abandoned = true;
                    error = watch._fault!(PluginCallGuard.Overran(watch._limit), null);
                }
            if (error is null) continue;
            lock (Watched) Watched.Remove(watch);
            watch._overran(error);
        }
    }
}

/// <summary>Ends a thread whose plugin call overran its limit: its work was failed and handed on when the limit passed.</summary>
public sealed class CallAbandonedException() : Exception("this thread's plugin call overran its time limit; its work was failed and a replacement took over");
