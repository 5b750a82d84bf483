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
        var command = new Command("chat", "Chat with a bot interactively. Type /help for commands.");
        options.AddTo(command);
        command.Options.Add(system);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var runtime = await BotRuntime.StartAsync(context, options.Settings(result, context), cancellationToken).ConfigureAwait(false);
            var session = await runtime.OpenSessionAsync(result.GetValue(options.Session), result.GetValue(system), cancellationToken).ConfigureAwait(false);
            var loop = new ChatLoop(context, runtime, session);
            return await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
