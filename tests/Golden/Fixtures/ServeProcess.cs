using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Tests.Golden.Fixtures;

/// <summary>
/// <c>harness serve</c> in its own process on a free loopback port, as an engine would call it: start it, post JSON,
/// stop it with SIGTERM (as a container runtime does) and read what it printed.
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new(), _error = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process, string? token)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_out) _out.AppendLine(e.Data);
            if (e.Data.StartsWith("listening: ", StringComparison.Ordinal)) _listening.TrySetResult(e.Data["listening: ".Length..]);
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_error) _error.AppendLine(e.Data); };
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"harness serve ended ({_process.ExitCode}): {Error}"));
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!_listening.Task.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException($"harness serve did not start: {Error}");
        // A service on every address is called on loopback.
        var address = _listening.Task.Result.Replace("://0.0.0.0:", "://127.0.0.1:").Replace("://[::]:", "://127.0.0.1:");
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public HttpClient Client { get; }

    public string Output { get { lock (_out) return _out.ToString(); } }

    public string Error { get { lock (_error) return _error.ToString(); } }

    /// <summary>Starts <c>harness serve</c> on a free port of 127.0.0.1 (unless the arguments name --urls).</summary>
    public static ServeProcess Start(string? token, params string[] args) =>
        new(HarnessProcess.Start(["serve", .. args, .. args.Contains("--urls") ? Array.Empty<string>() : ["--urls", "http://127.0.0.1:0"]]), token);

    public async Task<(int Status, JsonNode? Body)> Post(string path, string json, string? step = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (step is not null) request.Headers.Add("X-Harness-Step", step);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>SIGTERM, then the exit code.</summary>
    public int Terminate()
    {
        if (kill(_process.Id, 15) != 0) throw new InvalidOperationException("kill -TERM failed");
        if (!_process.WaitForExit(60_000)) throw new TimeoutException("harness serve did not stop after SIGTERM");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
