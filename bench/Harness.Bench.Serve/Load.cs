using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Harness.Bench.Serve;

/// <summary>N clients, each sending one request after another (OpenRLHF's one sample a request) for a bounded time.</summary>
public static class Load
{
    public sealed record Result(int Clients, double Seconds, long Requests, long Errors, double P50Ms, double P99Ms)
    {
        public double PerSecond => Requests / Seconds;
    }

    public static async Task<Result> Drive(Uri server, int clients, TimeSpan duration, IReadOnlyList<string> bodies)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = server, Timeout = TimeSpan.FromSeconds(30),
        };
        // Warm the connections and the server before timing.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Send(http, bodies[i % bodies.Count])));
        var latencies = new List<double>[clients];
        var errors = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = latencies[c] = [];
            for (var i = c; clock.Elapsed < duration; i += clients)
            {
                var started = clock.Elapsed;
                if (!await Send(http, bodies[i % bodies.Count])) Interlocked.Increment(ref errors);
                mine.Add((clock.Elapsed - started).TotalMilliseconds);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(clients, seconds, all.Length, errors, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    /// <summary>The rewards a server gives each body, to check both sides score alike.</summary>
    public static async Task<double[]> Rewards(Uri server, IReadOnlyList<string> bodies)
    {
        using var http = new HttpClient { BaseAddress = server };
        var rewards = new List<double>();
        foreach (var body in bodies)
        {
            using var response = await http.PostAsync("/get_reward", new StringContent(body, Encoding.UTF8, "application/json"));
            rewards.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rewards")[0].GetDouble());
        }
        return [.. rewards];
    }

    private static async Task<bool> Send(HttpClient http, string body)
    {
        try
        {
            using var response = await http.PostAsync("/get_reward", new StringContent(body, Encoding.UTF8, "application/json"));
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
