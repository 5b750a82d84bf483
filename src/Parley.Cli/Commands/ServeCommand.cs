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
        var apiKeysFile = new Option<string?>("--api-keys-file") { Description = "A file of API keys, one per line ('#' starts a comment); added to --api-key." };
        var cors = new Option<string[]>("--cors") { Description = "An origin browsers may call the API from, e.g. https://app.example.com; repeat or list several (default: none, CORS off).", AllowMultipleArgumentsPerToken = true };
        var rateLimit = new Option<int?>("--rate-limit") { Description = $"Requests per minute allowed per API key, or per client IP when open (default: {ParleyServerOptions.DefaultRateLimitPermits})." };
        var database = new Option<string?>("--db") { Description = "The conversation database file (default: parley.db in the user's data folder)." };
        var command = new Command("serve", "Serve the bots, and the upstream model named by PARLEY_MODEL when an endpoint is configured, over an OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions, /v1/embeddings, /metrics).");
        command.Options.Add(bots);
        command.Options.Add(urls);
        command.Options.Add(apiKeys);
        command.Options.Add(apiKeysFile);
        command.Options.Add(cors);
        command.Options.Add(rateLimit);
        command.Options.Add(database);
        command.SetAction(async (result, cancellationToken) =>
        {
            var runtimes = new List<BotRuntime>();
            string?[] folders = result.GetValue(bots) is { Length: > 0 } given ? given : new string?[] { null };
            var options = new ParleyServerOptions
            {
                Embeddings = LocalEmbeddings.Create(context),
                BotFactory = async (folder, ct) =>
                {
                    var settings = SettingsLoader.Load(context);
                    settings.Bot = folder;
                    settings.Database = result.GetValue(database) ?? settings.Database;
                    var runtime = await BotRuntime.StartAsync(context, settings, ct).ConfigureAwait(false);
                    lock (runtimes)
                    {
                        runtimes.Add(runtime);
                    }

                    return runtime.Bot;
                },
            };
            foreach (var folder in folders)
            {
                options.BotFolders.Add(BotLocator.Resolve(context, folder));
            }

            foreach (var key in result.GetValue(apiKeys) ?? [])
            {
                options.ApiKeys.Add(key);
            }

            if (result.GetValue(apiKeysFile) is { } keysFile)
            {
                try
                {
                    foreach (var key in await ApiKeyFile.ReadAsync(keysFile, cancellationToken).ConfigureAwait(false))
                    {
                        options.ApiKeys.Add(key);
                    }
                }
                catch (ArgumentException e)
                {
                    throw new CliException(e.Message, e);
                }
            }

            foreach (var origin in result.GetValue(cors) ?? [])
            {
                options.CorsOrigins.Add(origin);
            }

            options.RateLimitPermits = result.GetValue(rateLimit) ?? options.RateLimitPermits;
            var settingsForDb = SettingsLoader.Load(context);
            settingsForDb.Database = result.GetValue(database) ?? settingsForDb.Database;
            options.DatabasePath = settingsForDb.DatabasePath(context);
            using var upstream = CreateUpstream(settingsForDb);
            if (upstream is not null)
            {
                options.Upstream = upstream;
                options.UpstreamModel = settingsForDb.OpenAI.Model;
            }

            var address = result.GetValue(urls) ?? DefaultUrls;
            if (options.ApiKeys.Count == 0 && !address.Contains("127.0.0.1", StringComparison.Ordinal) && !address.Contains("localhost", StringComparison.OrdinalIgnoreCase))
            {
                await context.Error.WriteLineAsync($"warning: no --api-key given, so anyone who can reach {address} can use the API").ConfigureAwait(false);
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

    /// <summary>
    /// The upstream model served beside the bots: the endpoint of OPENAI_BASE_URL/OPENAI_API_KEY with the model named by
    /// PARLEY_MODEL (or configuration), built with retries as <c>parley chat</c> builds a bot's LLM; null when either is missing.
    /// </summary>
    private static IChatClient? CreateUpstream(ParleySettings settings) =>
        settings.HasEndpoint && !string.IsNullOrWhiteSpace(settings.OpenAI.Model) ? LlmEndpoint.Create(settings, settings.OpenAI.Model) : null;
}
