using System.Collections.Concurrent;

namespace Harness.Core;

/// <summary>
/// Maps items on several threads ("lanes"), each with its own function (and so its own state, such as its own plugin
/// instances), and yields the results in the items' order, as a loop over them would. At most two items per lane are
/// in flight, so memory stays flat however many items come. A failure surfaces at its item's turn, after every
/// earlier result; the lanes then stop taking work.
/// </summary>
public static class OrderedLanes
{
    public static IEnumerable<(TIn Item, TOut Result)> Map<TIn, TOut>(IEnumerable<TIn> items, IReadOnlyList<Func<TIn, TOut>> lanes)
    {
        if (lanes.Count == 0) throw new ArgumentException("Name at least one lane.", nameof(lanes));
        using var queue = new BlockingCollection<(TIn Item, TaskCompletionSource<TOut> Done)>(lanes.Count);
        var stopping = false;
        var threads = lanes.Select((lane, i) => new Thread(() =>
        {
            foreach (var (item, done) in queue.GetConsumingEnumerable())
            {
                if (Volatile.Read(ref stopping)) { done.SetCanceled(); continue; }
                try { done.SetResult(lane(item)); }
                catch (Exception e) { done.SetException(e); }
            }
        }) { IsBackground = true, Name = $"lane {i + 1}" }).ToArray();
        foreach (var thread in threads) thread.Start();
        var pending = new Queue<(TIn Item, Task<TOut> Result)>();
        try
        {
            foreach (var item in items)
            {
                var done = new TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously);
                queue.Add((item, done));
                pending.Enqueue((item, done.Task));
                while (pending.Count > 2 * lanes.Count || pending.Count > 0 && pending.Peek().Result.IsCompleted)
                    yield return Take(pending);
            }
            while (pending.Count > 0) yield return Take(pending);
        }
        finally
        {
            Volatile.Write(ref stopping, true);
            queue.CompleteAdding();
            foreach (var thread in threads) thread.Join();
        }
    }

    private static (TIn, TOut) Take<TIn, TOut>(Queue<(TIn Item, Task<TOut> Result)> pending)
    {
        var (item, result) = pending.Dequeue();
        return (item, result.GetAwaiter().GetResult());
    }
}
