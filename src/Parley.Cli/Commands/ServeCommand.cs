using System.CommandLine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Parley.Cli.Hosting;
using Parley.Server;
using Parley.Server.Security;

namespace Parley.Cli.Commands;

/// <summary><c>parley serve</c>: the OpenAI-compatible server over one or more bots, wired as <c>parley chat</c> wires a bot.</summary>
internal static class ServeCommand
{
    /// <summary>The address served when no <c>--urls</c> is given: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static Command Create(CliContext context)
    {
        var bots = new Option<string[]>("--bot") { Description = "A bot folder to serve; repeat for more (default: samples/bots/shop).", AllowMultipleArgumentsPerToken = false };
        var urls = new Option<string?>("--urls") { Description = $"The addresses to listen on, separated by ';' (default: {DefaultUrls})." };
        var apiKeys = new Option<string[]>("--api-key") { Description = "An API key clients must send as 'Authorization: Bearer KEY'; repeat for more (default: none, the API is open)." };
        var apiKeysFile = new Option<string?>("--api-keys-file") { Description = "A file of API keys, one per line ('#' starts a comment); added to the other keys." };
        var cors = new Option<string[]>("--cors") { Description = "An origin browsers may call the API from, e.g. https://app.example.com; repeat or list several (default: none, CORS off).", AllowMultipleArgumentsPerToken = true };
        var rateLimit = new Option<int?>("--rate-limit") { Description = "Requests per minute allowed per API key, or per client IP when open; 0 (the default) is no limit." };
        var maxBody = new Option<long?>("--max-request-body-bytes") { Description = $"The largest request body accepted; larger ones get 413 (default: {ParleyServerOptions.DefaultMaxRequestBodyBytes})." };
        var logContent = new Option<bool?>("--log-content") { Description = "Log prompts and replies (default: off; API keys are never logged)." };
        var shutdown = new Option<double?>("--shutdown-timeout") { Description = "Seconds stopping waits for open requests and streams to finish (default: 30)." };
        var database = new Option<string?>("--db") { Description = "The conversation database file (default: parley.db in the user's data folder)." };
        var command = new Command("serve", "Serve the bots, and the upstream model named by PARLEY_MODEL when an endpoint is configured, over an OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions, /v1/embeddings, /metrics). Settings also come from Parley:Server in appsettings.json or Parley__Server__* variables; flags win.");
        command.Options.Add(bots);
        command.Options.Add(urls);
        command.Options.Add(apiKeys);
        command.Options.Add(apiKeysFile);
        command.Options.Add(cors);
        command.Options.Add(rateLimit);
        command.Options.Add(maxBody);
        command.Options.Add(logContent);
        command.Options.Add(shutdown);
        command.Options.Add(database);
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = SettingsLoader.Load(context);
            settings.Database = result.GetValue(database) ?? settings.Database;
            var flags = new ServerSettings
            {
                Urls = result.GetValue(urls),
                ApiKeys = result.GetValue(apiKeys),
                ApiKeysFile = result.GetValue(apiKeysFile),
                CorsOrigins = result.GetValue(cors),
                RateLimitPerMinute = result.GetValue(rateLimit),
                MaxRequestBodyBytes = result.GetValue(maxBody),
                LogContent = result.GetValue(logContent),
                ShutdownTimeoutSeconds = result.GetValue(shutdown),
            };
            var server = Merge(settings.Server, flags);
            var runtimes = new List<BotRuntime>();
            var options = await CreateOptionsAsync(context, server, cancellationToken).ConfigureAwait(false);
            options.Embeddings = LocalEmbeddings.Create(context);
            options.DataDirectory = ParleySettings.DataDirectory(context);
            options.DatabasePath = settings.DatabasePath(context);
            options.BotFactory = async (folder, ct) =>
            {
                var botSettings = SettingsLoader.Load(context);
                botSettings.Bot = folder;
                botSettings.Database = settings.Database;
                var runtime = await BotRuntime.StartAsync(context, botSettings, ct).ConfigureAwait(false);
                lock (runtimes)
                {
                    runtimes.Add(runtime);
                }

                return runtime.Bot;
            };
            string?[] folders = result.GetValue(bots) is { Length: > 0 } given ? given : new string?[] { null };
            foreach (var folder in folders)
            {
                options.BotFolders.Add(BotLocator.Resolve(context, folder));
            }

            using var upstream = CreateUpstream(settings);
            if (upstream is not null)
            {
                options.Upstream = upstream;
                options.UpstreamModel = settings.OpenAI.Model;
            }

            var address = server.Urls ?? DefaultUrls;
            if (options.ApiKeys.Count == 0 && !address.Contains("127.0.0.1", StringComparison.Ordinal) && !address.Contains("localhost", StringComparison.OrdinalIgnoreCase))
            {
                await context.Error.WriteLineAsync($"warning: no API key configured, so anyone who can reach {address} can use the API").ConfigureAwait(false);
            }

            try
            {
                await using var app = ParleyServer.Build(options, ["--urls", address]);
                await context.Error.WriteLineAsync($"Serving {string.Join(", ", options.BotFolders)} on {address} (Ctrl+C to stop)").ConfigureAwait(false);
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (ArgumentException e)
            {
                throw new CliException($"invalid server settings: {e.Message}", e);
            }
            finally
            {
                foreach (var runtime in runtimes)
                {
                    await runtime.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }

    /// <summary>The configured server settings with every flag that was given in their place.</summary>
    internal static ServerSettings Merge(ServerSettings configured, ServerSettings flags) => new()
    {
        Urls = flags.Urls ?? configured.Urls,
        ApiKeys = flags.ApiKeys is { Length: > 0 } ? flags.ApiKeys : configured.ApiKeys,
        ApiKeysFile = flags.ApiKeysFile ?? configured.ApiKeysFile,
        CorsOrigins = flags.CorsOrigins is { Length: > 0 } ? flags.CorsOrigins : configured.CorsOrigins,
        RateLimitPerMinute = flags.RateLimitPerMinute ?? configured.RateLimitPerMinute,
        MaxRequestBodyBytes = flags.MaxRequestBodyBytes ?? configured.MaxRequestBodyBytes,
        LogContent = flags.LogContent ?? configured.LogContent,
        ShutdownTimeoutSeconds = flags.ShutdownTimeoutSeconds ?? configured.ShutdownTimeoutSeconds,
    };

    /// <summary>
    /// The server options of <paramref name="server"/> (keys, keys file, limits, CORS, logging, shutdown), unset ones
    /// left at their defaults; bots, encoder, store and upstream are the caller's.
    /// </summary>
    /// <exception cref="CliException">The keys file cannot be read.</exception>
    internal static async Task<ParleyServerOptions> CreateOptionsAsync(CliContext context, ServerSettings server, CancellationToken cancellationToken)
    {
        var options = new ParleyServerOptions
        {
            RateLimitPermits = server.RateLimitPerMinute ?? ParleyServerOptions.DefaultRateLimitPermits,
            MaxRequestBodyBytes = server.MaxRequestBodyBytes ?? ParleyServerOptions.DefaultMaxRequestBodyBytes,
            LogContent = server.LogContent ?? false,
        };
        if (server.ShutdownTimeoutSeconds is { } seconds)
        {
            options.ShutdownTimeout = double.IsFinite(seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new CliException($"invalid server settings: the shutdown timeout must be a number of seconds, 0 or more (was {seconds})");
        }

        foreach (var key in server.ApiKeys ?? [])
        {
            options.ApiKeys.Add(key);
        }

        if (server.ApiKeysFile is { Length: > 0 } keysFile)
        {
            try
            {
                foreach (var key in await ApiKeyFile.ReadAsync(Path.GetFullPath(keysFile, context.CurrentDirectory), cancellationToken).ConfigureAwait(false))
                {
                    options.ApiKeys.Add(key);
                }
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message, e);
            }
        }

        foreach (var origin in server.CorsOrigins ?? [])
        {
            options.CorsOrigins.Add(origin);
        }

        return options;
    }

    /// <summary>
    /// The upstream model served beside the bots: the endpoint of OPENAI_BASE_URL/OPENAI_API_KEY with the model named by
    /// PARLEY_MODEL (or configuration), built with retries as <c>parley chat</c> builds a bot's LLM; null when either is missing.
    /// </summary>
    private static IChatClient? CreateUpstream(ParleySettings settings) =>
        settings.HasEndpoint && !string.IsNullOrWhiteSpace(settings.OpenAI.Model) ? LlmEndpoint.Create(settings, settings.OpenAI.Model) : null;
}
