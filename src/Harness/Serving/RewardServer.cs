using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harness.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Prometheus;

namespace Harness.Serving;

/// <summary>
/// The HTTP side of <c>harness serve</c> (Kestrel): <c>POST /get_reward</c> (OpenRLHF), <c>POST /v1/score</c> (ours),
/// <c>GET /openapi.json</c>, <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>. Every request carries the bearer token
/// when one is set; bodies are limited; errors are JSON naming the field (400), the token (401), the size (413) or the
/// plugin and call (500). Logs are JSON lines on stderr. On SIGTERM it stops taking requests, answers those in flight
/// (up to the shutdown timeout) and then the caller flushes the run.
/// </summary>
public static class RewardServer
{
    public static WebApplication Build(ServeOptions options, ScoringService service, ServiceMetrics metrics)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Logging.ClearProviders();
        Logging(builder.Logging);
        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Harness.Serve");
        var ready = false;
        app.Lifetime.ApplicationStarted.Register(() => ready = true);
        app.Lifetime.ApplicationStopping.Register(() => ready = false);

        if (options.Token is { } token)
        {
            var expected = Encoding.UTF8.GetBytes("Bearer " + token);
            app.Use(async (context, next) =>
            {
                var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (CryptographicOperations.FixedTimeEquals(given, expected)) { await next(context); return; }
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Error(context, StatusCodes.Status401Unauthorized, "this service needs the header Authorization: Bearer <token>", "Authorization");
            });
        }

        app.MapGet("/healthz", () => Results.Json(new { status = "alive" }));
        app.MapGet("/readyz", () => ready ? Results.Json(new { status = "ready", run = service.Run.Root }) : Results.Json(new { status = "stopping" }, statusCode: 503));
        app.MapGet("/openapi.json", () => Results.Text(OpenApi.Value, "application/json"));
        app.MapMetrics("/metrics");
        app.MapPost("/get_reward", context => Handle(context, "/get_reward", OpenRlhfProtocol.Parse, batch => OpenRlhfProtocol.Answer(batch)));
        app.MapPost("/v1/score", context => Handle(context, "/v1/score", BatchProtocol.Parse, batch => BatchProtocol.Answer(batch)));
        return app;

        async Task Handle(HttpContext context, string endpoint, Func<JsonElement, IReadOnlyList<ScoringSample>> parse, Func<ScoredBatch, object> answer)
        {
            var clock = Stopwatch.StartNew();
            var status = StatusCodes.Status200OK;
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var samples = parse(body.RootElement);
                var step = RequestJson.Step(body.RootElement, context.Request.Headers["X-Harness-Step"].FirstOrDefault());
                var batch = await service.Score(samples, step);
                var response = answer(batch);
                // Whole, with its length: one write and no chunk framing for the engine's client to undo.
                var bytes = JsonSerializer.SerializeToUtf8Bytes(response, response.GetType(), JsonSerializerOptions.Web);
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            }
            catch (JsonException e)
            {
                status = StatusCodes.Status400BadRequest;
                await Error(context, status, $"is not valid JSON ({e.Message})", "(body)");
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                status = e.StatusCode;
                await Error(context, status, $"is larger than this service takes ({options.MaxBodyBytes} bytes; --max-body-mib)", "(body)");
            }
            catch (ServiceRequestException e)
            {
                status = StatusCodes.Status400BadRequest;
                log.LogInformation("{Endpoint}: 400, {Error}", endpoint, e.Message);
                await Error(context, status, e.Message[(e.Field.Length + 1)..].TrimEnd('.'), e.Field);
            }
            catch (PluginCallException e)
            {
                status = StatusCodes.Status500InternalServerError;
                metrics.Faults.WithLabels(e.Plugin).Inc();
                log.LogError("{Endpoint}: 500, plugin {Plugin} failed in {Call}: {Error}", endpoint, e.Plugin, e.Call, e.Message);
                service.Run.RecordError(e);
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new { error = e.Message, plugin = e.Plugin, kind = PluginKinds.Label(e.Kind), call = e.Call });
            }
            finally
            {
                metrics.Requests.WithLabels(endpoint, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
                metrics.Latency.WithLabels(endpoint).Observe(clock.Elapsed.TotalSeconds);
            }
        }
    }

    /// <summary>The service's logs: JSON lines on stderr (stdout carries only the addresses it listens on).</summary>
    public static void Logging(ILoggingBuilder logging)
    {
        logging.AddJsonConsole(json => { json.UseUtcTimestamp = true; json.TimestampFormat = "O"; });
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static Task Error(HttpContext context, int status, string problem, string field)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = $"{field} {problem}.", field });
    }

    /// <summary>The service's OpenAPI 3.1 document, shipped in the assembly.</summary>
    private static readonly Lazy<string> OpenApi = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("openapi.json")!;
        return new StreamReader(stream).ReadToEnd();
    });
}
