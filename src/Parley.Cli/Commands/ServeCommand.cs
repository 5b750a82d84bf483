using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Cli.Hosting;
using Parley.Cli.Rendering;
using Parley.Hosting;
using Parley.Server;

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
        var adminKeysFile = new Option<string?>("--admin-api-keys-file") { Description = "A file of admin API keys, one per line: they see every key's sessions, files, fine-tuning jobs and models (an ordinary key sees only its own)." };
        var cors = new Option<string[]>("--cors") { Description = "An origin browsers may call the API from, e.g. https://app.example.com; repeat or list several (default: none, CORS off).", AllowMultipleArgumentsPerToken = true };
        var rateLimit = new Option<int?>("--rate-limit") { Description = "Requests per minute allowed per API key, or per client IP when open; 0 (the default) is no limit." };
        var maxBody = new Option<long?>("--max-request-body-bytes") { Description = $"The largest request body accepted; larger ones get 413 (default: {ParleyServerOptions.DefaultMaxRequestBodyBytes})." };
        var logContent = new Option<bool?>("--log-content") { Description = "Log prompts and replies (default: off; API keys are never logged)." };
        var shutdown = new Option<double?>("--shutdown-timeout") { Description = "Seconds stopping waits for open requests and streams to finish (default: 30)." };
        var database = new Option<string?>("--db") { Description = "The database: a SQLite file, or PostgreSQL as \"Host=…;Database=…\" or postgres://… (default: parley.db in the user's data folder)." };
        var command = new Command("serve", "Serve the bots, and the upstream model named by PARLEY_MODEL when an endpoint is configured, over an OpenAI-compatible HTTP API (/v1/models, /v1/chat/completions, /v1/embeddings, /metrics). Settings also come from Parley:Server in appsettings.json or Parley__Server__* variables; flags win.");
        command.Options.Add(bots);
        command.Options.Add(urls);
        command.Options.Add(apiKeys);
        command.Options.Add(apiKeysFile);
        command.Options.Add(adminKeysFile);
        command.Options.Add(cors);
        command.Options.Add(rateLimit);
        command.Options.Add(maxBody);
        command.Options.Add(logContent);
        command.Options.Add(shutdown);
        command.Options.Add(database);
        command.SetAction(async (result, cancellationToken) =>
        {
            var flags = new FlagSettings()
                .Set("Parley:Database", result.GetValue(database))
                .Set("Parley:Server:Urls", result.GetValue(urls))
                .SetList("Parley:Server:ApiKeys", result.GetValue(apiKeys))
                .Set("Parley:Server:ApiKeysFile", result.GetValue(apiKeysFile))
                .Set("Parley:Server:AdminApiKeysFile", result.GetValue(adminKeysFile))
                .SetList("Parley:Server:CorsOrigins", result.GetValue(cors))
                .Set("Parley:Server:RateLimitPerMinute", result.GetValue(rateLimit))
                .Set("Parley:Server:MaxRequestBodyBytes", result.GetValue(maxBody))
                .Set("Parley:Server:LogContent", result.GetValue(logContent))
                .Set("Parley:Server:ShutdownTimeoutSeconds", result.GetValue(shutdown));
            var settings = SettingsLoader.Load(context, flags);
            string?[] given = result.GetValue(bots) is { Length: > 0 } folders ? folders : new string?[] { null };
            var botFolders = given.Select(folder => BotLocator.Resolve(context, folder)).ToList();
            var address = settings.Configuration["Parley:Server:Urls"] is { Length: > 0 } configured ? configured : DefaultUrls;

            try
            {
                var builder = CreateBuilder(context, settings, botFolders, address);
                await using var app = ParleyServer.Build(builder);
                if (app.Services.GetRequiredService<ParleyServerOptions>() is { ApiKeys.Count: 0, AdminApiKeys.Count: 0 } && !IsLoopback(address))
                {
                    await context.Error.WriteLineAsync($"warning: no API key configured, so anyone who can reach {address} can use the API").ConfigureAwait(false);
                }

                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    // A folder that cannot be created, a port in use: say what, and exit non-zero.
                    throw new CliException($"could not start the server: {e.Message}", e);
                }

                await context.Error.WriteLineAsync($"Serving {string.Join(", ", botFolders)} on {address} (Ctrl+C to stop)").ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                return FailedService(app.Services) is { } failure
                    ? throw new CliException($"the server stopped because a background service failed: {failure.Message}", failure)
                    : ExitCodes.Success;
            }
            catch (ArgumentException e)
            {
                throw new CliException($"invalid server settings: {e.Message}", e);
            }
        });
        return command;
    }

    /// <summary>
    /// The server's builder over the command's settings: they are its whole configuration (files, environment, flags
    /// last), so a list given by flags is not mixed with the host's own reading of the same files.
    /// </summary>
    internal static WebApplicationBuilder CreateBuilder(CliContext context, ParleySettings settings, IReadOnlyList<string> botFolders, string address)
    {
        var builder = ParleyServer.CreateBuilder([], options =>
        {
            foreach (var folder in botFolders)
            {
                options.BotFolders.Add(folder);
            }
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.WebHost.UseUrls(address);
        builder.Services.AddSingleton<IBotStartupReporter>(new BotStartupLines(context.Error));
        builder.Services.AddEncoderFineTuning();
        return builder;
    }

    /// <summary>
    /// The exception of a background service (the fine-tuning worker, say) that failed and so stopped the host, or
    /// null when every one ended normally: a server that stops for that reason must not exit 0.
    /// </summary>
    internal static Exception? FailedService(IServiceProvider services) =>
        services.GetServices<IHostedService>()
            .OfType<BackgroundService>()
            .Select(s => s.ExecuteTask)
            .FirstOrDefault(t => t is { IsFaulted: true })?.Exception?.GetBaseException();

    private static bool IsLoopback(string address) =>
        address.Contains("127.0.0.1", StringComparison.Ordinal) || address.Contains("localhost", StringComparison.OrdinalIgnoreCase);
}
