using System.CommandLine;
using Parley.Cli.Hosting;

namespace Parley.Cli.Commands;

/// <summary><c>parley chat</c>: an interactive conversation with a bot.</summary>
internal static class ChatCommand
{
    public static Command Create(CliContext context)
    {
        var options = new BotOptions();
        var system = new Option<string?>("--system") { Description = "A system prompt for this session, replacing the bot's persona." };
        var command = new Command("chat", "Chat with a bot interactively (or with a model directly: --bot none). Type /help for commands.");
        options.AddTo(command);
        command.Options.Add(system);
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = options.Settings(result, context);
            if (string.Equals(settings.Parley.Bot, ModelRuntime.NoBot, StringComparison.OrdinalIgnoreCase))
            {
                // --bot none: the model on the endpoint, with no intents, knowledge or rules in front of it.
                await using var model = ModelRuntime.Start(context, settings);
                return await RunAsync(context, ChatPartner.For(model), result, options, system, cancellationToken).ConfigureAwait(false);
            }

            await using var runtime = await BotRuntime.StartAsync(context, settings, cancellationToken).ConfigureAwait(false);
            return await RunAsync(context, ChatPartner.For(runtime), result, options, system, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ChatPartner partner, ParseResult result, BotOptions options, Option<string?> system, CancellationToken cancellationToken)
    {
        var session = await partner.OpenSessionAsync(result.GetValue(options.Session), result.GetValue(system), cancellationToken).ConfigureAwait(false);
        return await new ChatLoop(context, partner, session).RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
