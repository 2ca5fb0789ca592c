using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Harness.Bench.Serve;

/// <summary>
/// N clients, each sending one request after another (OpenRLHF's one sample a request) for a bounded time, each on a
/// keep-alive HTTP/1.1 connection of its own. Requests are encoded once and answers only framed (status line, then
/// Content-Length or chunks), as wrk drives a server, so the client takes as little of the shared cores as it can.
/// </summary>
public static class Load
{
    public sealed record Result(int Clients, double Seconds, long Requests, long Errors, double P50Ms, double P99Ms)
    {
        public double PerSecond => Requests / Seconds;
    }

    public static async Task<Result> Drive(Uri server, int clients, TimeSpan duration, IReadOnlyList<string> bodies)
    {
        var requests = bodies.Select(b => Encode(server, b)).ToArray();
        var connections = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Connection.Open(server)));
        try
        {
            // Warm the connections and the server before timing.
            await Task.WhenAll(connections.Select((c, i) => c.Exchange(requests[i % requests.Length])));
            var latencies = new List<double>[clients];
            var errors = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(connections.Select(async (connection, c) =>
            {
                var mine = latencies[c] = [];
                for (var i = c; clock.Elapsed < duration; i += clients)
                {
                    var started = clock.Elapsed;
                    if (await connection.Exchange(requests[i % requests.Length]) != 200) Interlocked.Increment(ref errors);
                    mine.Add((clock.Elapsed - started).TotalMilliseconds);
                }
            }));
            var seconds = clock.Elapsed.TotalSeconds;
            var all = latencies.SelectMany(l => l).Order().ToArray();
            return new Result(clients, seconds, all.Length, errors, Percentile(all, 0.50), Percentile(all, 0.99));
        }
        finally
        {
            foreach (var connection in connections) connection.Dispose();
        }
    }

    /// <summary>The rewards a server gives each body, to check both sides score alike.</summary>
    public static async Task<double[]> Rewards(Uri server, IReadOnlyList<string> bodies)
    {
        using var http = new HttpClient { BaseAddress = server };
        var rewards = new List<double>();
        foreach (var body in bodies)
        {
            using var response = await http.PostAsync("/get_reward", new StringContent(body, Encoding.UTF8, "application/json"));
            rewards.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rewards")[0].GetDouble());
        }
        return [.. rewards];
    }

    private static byte[] Encode(Uri server, string body)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes($"POST /get_reward HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {content.Length}\r\n\r\n");
        return [.. head, .. content];
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    /// <summary>One keep-alive connection: a request out, its whole answer in, its status back (0 when the exchange failed).</summary>
    private sealed class Connection(Socket socket) : IDisposable
    {
        private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
        private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();
        private byte[] _buffer = new byte[16 << 10];

        public static async Task<Connection> Open(Uri server)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server.Host, server.Port);
            return new Connection(socket);
        }

        public async Task<int> Exchange(byte[] request)
        {
            try
            {
                await socket.SendAsync(request, SocketFlags.None);
                var (filled, bodyStart, length, chunked, status) = (0, -1, -1, false, 0);
                while (true)
                {
                    if (filled == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                    var n = await socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None);
                    if (n == 0) return 0;
                    filled += n;
                    if (bodyStart < 0)
                    {
                        var end = _buffer.AsSpan(0, filled).IndexOf(HeadEnd);
                        if (end < 0) continue;
                        bodyStart = end + HeadEnd.Length;
                        (status, length, chunked) = Head(Encoding.ASCII.GetString(_buffer, 0, end));
                    }
                    if (length >= 0 ? filled - bodyStart >= length : chunked && _buffer.AsSpan(bodyStart, filled - bodyStart).EndsWith(LastChunk)) return status;
                }
            }
            catch (SocketException)
            {
                return 0;
            }
        }

        private static (int Status, int Length, bool Chunked) Head(string head)
        {
            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var (length, chunked) = (-1, false);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            return (status, length, chunked);
        }

        public void Dispose() => socket.Dispose();
    }
}
