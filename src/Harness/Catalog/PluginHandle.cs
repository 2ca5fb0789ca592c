namespace Harness.Catalog;

/// <summary>
/// A plugin instance as the engine calls it: every call goes through <see cref="Call{TResult}"/>, under the
/// plugin's time limit, and any fault becomes a <see cref="PluginCallException"/> naming the plugin and the call.
/// </summary>
public sealed class PluginHandle<T>(PluginKind kind, string name, T instance, TimeSpan timeLimit) where T : class
{
    public PluginKind Kind { get; } = kind;

    public string Name { get; } = name;

    public T Instance { get; } = instance;

    /// <summary>The most one call may take; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan TimeLimit { get; } = timeLimit;

    /// <summary>Calls the plugin; a null result is a fault (no contract method returns null, except where <paramref name="mayReturnNull"/>).</summary>
    /// <param name="call">The call and its moment, for errors: e.g. <c>Detect at step 3</c>.</param>
    public TResult Call<TResult>(string call, Func<T, TResult> body, bool mayReturnNull = false)
    {
        var result = PluginCallGuard.Run(() => body(Instance), TimeLimit, (problem, inner) => Fault(call, problem, inner));
        return result is null && !mayReturnNull ? throw Fault(call, "returned null") : result;
    }

    /// <summary>The error for a result that breaks the contract.</summary>
    public PluginCallException Fault(string call, string problem, Exception? inner = null) => new(Kind, Name, call, problem, inner);
}
