using System.Threading.Channels;
using Harness.Sessions;

namespace Harness.Serving;

/// <summary>
/// The service's plugin instances: one <see cref="ScanLane"/> per thread of its own, each scoring one request at a
/// time, so no plugin is called from two threads at once and no request thread blocks on a plugin call. Requests
/// queue for the next free lane.
/// </summary>
public sealed class LanePool : IDisposable
{
    private readonly Channel<Func<ScanLane, bool>> _work = Channel.CreateUnbounded<Func<ScanLane, bool>>();
    private readonly Thread[] _threads;

    public LanePool(IReadOnlyList<ScanLane> lanes)
    {
        _threads = [.. lanes.Select((lane, i) => new Thread(() => Serve(lane)) { IsBackground = true, Name = $"scoring lane {i + 1}" })];
        foreach (var thread in _threads) thread.Start();
    }

    public int Lanes => _threads.Length;

    /// <summary>Runs <paramref name="work"/> on the next free lane.</summary>
    public Task<T> Run<T>(Func<ScanLane, T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(lane =>
            {
                try { done.SetResult(work(lane)); }
                catch (Exception e) { done.SetException(e); }
                return true;
            }))
            done.SetException(new ObjectDisposedException(nameof(LanePool)));
        return done.Task;
    }

    private void Serve(ScanLane lane)
    {
        while (_work.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (_work.Reader.TryRead(out var item)) item(lane);
    }

    /// <summary>Takes no more work; the lanes finish what is queued, then end.</summary>
    public void Dispose()
    {
        _work.Writer.TryComplete();
        foreach (var thread in _threads) thread.Join();
    }
}
