using System.ComponentModel;
using Harness.Answers;
using Harness.Catalog;
using Harness.Core;
using Harness.Experiments;
using Harness.Serving;
using Harness.Sessions;
using Harness.Training;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harness.Commands;

/// <summary>
/// <c>harness serve &lt;experiment.json&gt; [--urls URL] [--out DIR] [--token T]</c>: the experiment's rewards and detectors
/// as a reward service for OpenRLHF and verl, writing a run directory that detect, doctor and report read while the
/// engine trains.
/// </summary>
public sealed class ServeCommand(Terminal terminal, PluginCatalogProvider catalogs) : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : ExperimentSettings
    {
        [CommandOption("--urls <URLS>"), Description("Addresses to listen on, separated by ';' (default http://127.0.0.1:8000; port 0 takes any free port). Any address but loopback needs a token.")]
        public string Urls { get; init; } = "http://127.0.0.1:8000";

        [CommandOption("--out <DIR>"), Description("The run directory to write (default: runs/serve-<name>-<time>).")] public string? Out { get; init; }

        [CommandOption("--token <TOKEN>"), Description($"The bearer token every request must carry (or the environment variable {ServeOptions.TokenVariable}).")]
        public string? Token { get; init; }

        [CommandOption("--lanes <N>"), Description("Requests scored at once, each lane with its own plugin instances (default: one per core).")] public int? Lanes { get; init; }

        [CommandOption("--window <N>"), Description("When requests name no training step: completions that make one step of the run's metrics (default 1024).")]
        public int Window { get; init; } = 1024;

        [CommandOption("--keep <N>"), Description("Completions kept per step in completions.jsonl, with their flags (default 64).")] public int Keep { get; init; } = 64;

        [CommandOption("--max-body-mib <N>"), Description("The largest request body taken, in MiB (default 16).")] public int MaxBodyMib { get; init; } = 16;

        [CommandOption("--shutdown-seconds <N>"), Description("On SIGTERM, how long requests in flight may take to finish (default 30).")] public int ShutdownSeconds { get; init; } = 30;

        [CommandOption("--answer-format <FORMAT>"), Description("Where completions write their final answer, in place of the experiment's answer.format: tags, boxed, gsm8k, answer-is, last-number, choice or auto.")]
        public string? AnswerFormat { get; init; }

        public override ValidationResult Validate() =>
            Lanes is < 1 ? ValidationResult.Error($"--lanes must be at least 1, not {Lanes}.")
            : Window < 1 ? ValidationResult.Error($"--window must be at least 1, not {Window}.")
            : Keep < 0 ? ValidationResult.Error($"--keep must be 0 or more, not {Keep}.")
            : MaxBodyMib < 1 ? ValidationResult.Error($"--max-body-mib must be at least 1, not {MaxBodyMib}.")
            : ShutdownSeconds < 0 ? ValidationResult.Error($"--shutdown-seconds must be 0 or more, not {ShutdownSeconds}.")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new ServeOptions(
            [.. settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            settings.Token ?? (Environment.GetEnvironmentVariable(ServeOptions.TokenVariable) is { Length: > 0 } variable ? variable : null),
            (long)settings.MaxBodyMib << 20, TimeSpan.FromSeconds(settings.ShutdownSeconds));
        if (options.Exposed.Count > 0 && options.Token is null)
            throw new HarnessException($"harness serve listens on {string.Join(", ", options.Exposed)}, which is not loopback: give it a bearer token " +
                $"(--token, or the environment variable {ServeOptions.TokenVariable}) that every request must carry, or listen on 127.0.0.1. It did not start.");
        var config = settings.Load();
        if (settings.AnswerFormat is { } format) config.Answer.Format = VariantName.Parse<AnswerFormat>(format, "--answer-format");
        var reader = config.Answer.Reader();
        var catalog = catalogs.Scan(config.PluginDirectories);
        var laneCount = settings.Lanes ?? Environment.ProcessorCount;
        var scoring = ExperimentPlugins.ResolveScoring(config, catalog);
        using var logs = LoggerFactory.Create(RewardServer.Logging);
        var log = logs.CreateLogger("Harness.Serve");
        var metrics = new ServiceMetrics();
        using var run = ServiceRun.Create(settings.Out ?? Path.Combine("runs", $"serve-{config.Name}-{DateTime.Now:yyyyMMdd-HHmmss}"),
            config, scoring, laneCount, settings.Keep, settings.Window, log);
        using var lanes = new LanePool(laneCount, () =>
        {
            var own = ExperimentPlugins.ResolveScoring(config, catalog);
            return new ScanLane(own.Detectors, new RewardScorer(own.Rewards, reader));
        }, () => metrics.LanesReplaced.Inc());
        await using var app = RewardServer.Build(options, new ScoringService(lanes, run, metrics), metrics);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new HarnessException($"harness serve cannot listen on {string.Join(", ", options.Urls)}: {e.Message}", e);
        }
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            terminal.Out.WriteLine($"listening: {address}");
        terminal.Out.WriteLine($"run: {run.Root}");
        terminal.Out.Flush();
        await app.WaitForShutdownAsync(cancellationToken);
        terminal.Error.WriteLine($"stopped; the run directory {run.Root} holds every step it scored ({run.Late} late completions not counted).");
        return 0;
    }
}
