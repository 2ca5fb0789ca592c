using System.Threading.Channels;
using Harness.Catalog;
using Harness.Sessions;

namespace Harness.Serving;

/// <summary>
/// The service's plugin instances: lanes (<see cref="ScanLane"/>), each on a thread of its own scoring one request at a
/// time, so no plugin is called from two threads at once and no request thread blocks on a plugin call. Requests queue
/// for the next free lane. A lane runs its plugin calls itself under a <see cref="CallWatch"/>, with no hand-off per
/// call; when one overruns its limit, its request fails with the plugin's error and a new lane, with new instances,
/// takes the stuck one's place.
/// </summary>
public sealed class LanePool : IDisposable
{
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>();
    private readonly Func<ScanLane> _newLane;
    private readonly Action _replaced;
    private readonly Lock _gate = new();
    private readonly HashSet<Thread> _threads = [];
    private int _started;

    /// <param name="newLane">Makes a lane with plugin instances of its own.</param>
    /// <param name="replaced">Told each time a lane is given up past a time limit and replaced.</param>
    public LanePool(int lanes, Func<ScanLane> newLane, Action replaced)
    {
        (_newLane, _replaced) = (newLane, replaced);
        for (var i = 0; i < lanes; i++) Start(newLane());
    }

    /// <summary>Runs <paramref name="work"/> on the next free lane.</summary>
    public Task<T> Run<T>(Func<ScanLane, T> work)
    {
        var item = new Work<T>(work);
        if (!_work.Writer.TryWrite(item)) item.Fail(new ObjectDisposedException(nameof(LanePool)));
        return item.Task;
    }

    private void Start(ScanLane lane)
    {
        var thread = new Thread(() => Serve(lane)) { IsBackground = true };
        lock (_gate)
        {
            thread.Name = $"scoring lane {++_started}";
            _threads.Add(thread);
        }
        thread.Start();
    }

    private void Serve(ScanLane lane)
    {
        Work? current = null;
        var self = Thread.CurrentThread;
        new CallWatch(overran =>
        {
            lock (_gate) _threads.Remove(self);
            Volatile.Read(ref current)?.Fail(overran);
            Start(_newLane());
            _replaced();
        }).WatchThisThread();
        try
        {
            while (_work.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (_work.Reader.TryRead(out var item))
                {
                    Volatile.Write(ref current, item);
                    item.Execute(lane);
                    Volatile.Write(ref current, null);
                }
        }
        catch (CallAbandonedException)
        {
            // Given up past a time limit: its request was failed and a replacement serves in its place.
        }
    }

    /// <summary>Takes no more work; the lanes finish what is queued, then end.</summary>
    public void Dispose()
    {
        _work.Writer.TryComplete();
        Thread[] live;
        lock (_gate) live = [.. _threads];
        foreach (var thread in live) thread.Join();
    }

    private abstract class Work
    {
        public abstract void Execute(ScanLane lane);

        public abstract void Fail(Exception error);
    }

    private sealed class Work<T>(Func<ScanLane, T> work) : Work
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public override void Execute(ScanLane lane)
        {
            try { _done.TrySetResult(work(lane)); }
            catch (Exception e) when (e is not CallAbandonedException) { _done.TrySetException(e); }
        }

        public override void Fail(Exception error) => _done.TrySetException(error);
    }
}
