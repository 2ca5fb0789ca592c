using Harness.Catalog;
using Harness.Commands;
using Harness.Core;
using Harness.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Harness.Hosting;

/// <summary>Builds the harness: the generic host (configuration, logging, options) and the command line on top.</summary>
public static class HarnessApp
{
    /// <summary>Exit code of an error the user can fix (bad input, config or plugin).</summary>
    public const int UserError = 2;

    /// <summary>Exit code of an unexpected failure.</summary>
    public const int InternalError = 70;

    /// <param name="terminal">Where commands write.</param>
    /// <param name="settings">Configuration besides harness.json and HARNESS_* variables.</param>
    /// <param name="stop">What asks long work to stop (the process's signals); none by default.</param>
    public static CommandApp Create(Terminal terminal, IEnumerable<KeyValuePair<string, string?>>? settings = null, StopRequest? stop = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "harness.json"), optional: true)
            .AddEnvironmentVariables("HARNESS_")
            .AddInMemoryCollection(settings ?? []);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = false; });
        // Logs go to stderr so that stdout carries only the command's output (--json stays parseable).
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddOptions<HarnessOptions>().Bind(builder.Configuration.GetSection(HarnessOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HarnessOptions>, HarnessOptionsValidator>();
        builder.Services.AddSingleton(terminal);
        builder.Services.AddSingleton(stop ?? new StopRequest());
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.AddSingleton<PluginCatalogProvider>();
        builder.Services.AddSingleton<RunReader>();
        builder.Services.AddSingleton<ExperimentRunner>();

        var app = new CommandApp(new HostTypeRegistrar(builder));
        app.Configure(config =>
        {
            config.SetApplicationName("harness");
            config.ConfigureConsole(terminal.Console);
            config.SetExceptionHandler((e, _) => Report(terminal.Error, e));
            config.AddCommand<PluginsCommand>("plugins")
                .WithDescription("List every plugin found: kind, name, assembly, version, file and SHA-256.");
            config.AddCommand<AdvantagesCommand>("advantages")
                .WithDescription("Compute one group's GRPO advantages and gradient mass per response shape (the walkthrough).")
                .WithExample("advantages", "--rewards", "1.1,0.1,1.1,0.1", "--lengths", "92,78,14,10",
                    "--shapes", "self-verify,self-verify,single-pass,single-pass");
            config.AddCommand<CheckCommand>("check")
                .WithDescription("Validate an experiment config and resolve every plugin it names.");
            config.AddCommand<RunCommand>("run")
                .WithDescription("Train with GRPO as an experiment says, writing a run directory (metrics, completions, checkpoints).")
                .WithExample("run", "experiments/aha-addition.json", "--steps", "50");
            config.AddCommand<ResumeCommand>("resume")
                .WithDescription("Continue a run from its newest checkpoint (or --checkpoint NAME).");
            config.AddCommand<PretrainCommand>("pretrain")
                .WithDescription("Build a base model: train a text policy (tiny GPT, or a small Qwen2/Llama) on a recipe's synthetic corpus and evaluate it.");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Write a run's checkpoint (newest, or --checkpoint step-N) as a Hugging Face folder transformers and vLLM load.");
            config.AddCommand<GenerateCommand>("generate")
                .WithDescription("A quick look at a model: generate from a prompt (--json: token ids, tokens, log-probs).");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Write a run's self-contained HTML report (also written at the end of every run).");
            config.AddCommand<DetectCommand>("detect")
                .WithDescription("A series detector's verdict on a run (default aha-moment), from its metrics.jsonl alone.");
            config.AddCommand<RegressCommand>("regress")
                .WithDescription("Runs the seeded experiment a committed baseline names (or takes --run) and fails, naming each, if a metric moved beyond its tolerance.");
            config.AddCommand<SweepCommand>("sweep")
                .WithDescription("Run variants × seeds of an experiment as ordinary runs and compare them: verdict counts, the aha step, end-of-run pass@1 and length with bootstrap intervals, and which differences are beyond seed noise.")
                .WithExample("sweep", "experiments/shape-bandit.json", "--vary", "grpo.policyLoss=vanilla,gspo", "--seeds", "5");
            config.AddCommand<ScanCommand>("scan")
                .WithDescription("Run detectors (and rewards, where there is a gold answer) over another trainer's completions; writes a run directory.")
                .WithExample("scan", "verl-logs/", "--out", "runs/verl-scan");
            config.AddCommand<ServeCommand>("serve")
                .WithDescription("Serve an experiment's rewards and detectors to OpenRLHF (POST /get_reward) and verl (POST /v1/score), writing a run directory while the engine trains.")
                .WithExample("serve", "experiments/aha-addition.json", "--urls", "http://127.0.0.1:8000");
            config.AddCommand<DoctorCommand>("doctor")
                .WithDescription("The failure modes found in a run (ritual verification, language mixing, repetition loops, format hacking, premature plateau), with evidence and the fix plugin to try.");
        });
        return app;
    }

    private static int Report(TextWriter error, Exception e)
    {
        if (e is StoppedException stopped)
        {
            error.WriteLine($"stopped: {stopped.Message}");
            return stopped.ExitCode;
        }
        var (message, code) = e switch
        {
            HarnessException or CommandAppException => (e.Message, UserError),
            OptionsValidationException o => (string.Join(Environment.NewLine, o.Failures), UserError),
            _ => (e.ToString(), InternalError),
        };
        error.WriteLine($"error: {message}");
        return code;
    }
}
