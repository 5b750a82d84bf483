using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Bots.Replies;
using Parley.Cli.Hosting;
using Parley.Cli.Rendering;
using Parley.Core.Conversations;
using Parley.Hosting;

namespace Parley.Cli.Commands;

/// <summary><c>parley sessions list|show|delete|prune</c>: the stored conversations.</summary>
internal static class SessionsCommand
{
    public static Command Create(CliContext context)
    {
        var database = new Option<string?>("--db") { Description = "The database: a SQLite file, or PostgreSQL as \"Host=…;Database=…\" or postgres://… (default: parley.db in the user's data folder).", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print JSON.", Recursive = true };
        var bot = new Option<string?>("--bot") { Description = "Only this bot's sessions (its name)." };
        var id = new Argument<string>("id") { Description = "The session id." };

        var list = new Command("list", "List sessions, most recent first.");
        list.Options.Add(bot);
        list.SetAction(async (result, cancellationToken) =>
        {
            var store = Open(result, database, context);
            using var owned = (IDisposable)store;
            var sessions = await store.ListAsync(result.GetValue(bot), 200, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(sessions, ReplyJson.Options)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var s in sessions)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Id}  {s.Bot}  {s.Updated.ToLocalTime():yyyy-MM-dd HH:mm}  {s.MessageCount,3} messages  {s.Preview}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var show = new Command("show", "Show a session's messages and events.");
        show.Arguments.Add(id);
        show.SetAction(async (result, cancellationToken) =>
        {
            var store = Open(result, database, context);
            using var owned = (IDisposable)store;
            var conversation = await Find(store, result.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                var node = new JsonObject
                {
                    ["id"] = conversation.Id,
                    ["bot"] = conversation.Bot,
                    ["created"] = conversation.Created,
                    ["updated"] = conversation.Updated,
                    ["messages"] = new JsonArray(conversation.Messages.Select(m => (JsonNode)new JsonObject
                    {
                        ["role"] = m.Message.Role.Value,
                        ["content"] = m.Message.Text,
                        ["timestamp"] = m.Timestamp,
                        ["incomplete"] = m.Incomplete,
                    }).ToArray()),
                    ["events"] = EventJson.From(conversation.Events, withPlace: true),
                };
                await context.Out.WriteLineAsync(node.ToJsonString()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var events = conversation.Events.Count == 0 ? "" : $" · {conversation.Events.Count} events";
            await context.Out.WriteLineAsync($"Session {conversation.Id} · bot {conversation.Bot} · {conversation.Messages.Count} messages{events}").ConfigureAwait(false);
            for (var i = 0; i <= conversation.Messages.Count; i++)
            {
                // Each event follows the message it came after (AfterMessages counts the messages before it).
                foreach (var e in conversation.Events.Where(e => e.AfterMessages == i || (i == conversation.Messages.Count && e.AfterMessages > i)))
                {
                    await context.Out.WriteLineAsync(EventJson.Line(e)).ConfigureAwait(false);
                }

                if (i < conversation.Messages.Count)
                {
                    var m = conversation.Messages[i];
                    await context.Out.WriteLineAsync($"{m.Message.Role}{(m.Incomplete ? " [incomplete]" : "")}: {m.Message.Text}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });

        var delete = new Command("delete", "Delete a session.");
        delete.Arguments.Add(id);
        delete.SetAction(async (result, cancellationToken) =>
        {
            var store = Open(result, database, context);
            using var owned = (IDisposable)store;
            var sessionId = result.GetValue(id)!;
            if (!await store.DeleteAsync(sessionId, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException($"no session '{sessionId}'");
            }

            await context.Out.WriteLineAsync($"Deleted {sessionId}.").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var olderThan = new Option<string>("--older-than") { Description = "Delete sessions last active longer ago than this: 90s, 30m, 12h, 30d, 2w.", Required = true };
        var prune = new Command("prune", "Delete the sessions last active longer ago than --older-than.");
        prune.Options.Add(olderThan);
        prune.Options.Add(bot);
        prune.SetAction(async (result, cancellationToken) =>
        {
            var age = DurationArgument.Parse("--older-than", result.GetValue(olderThan)!);
            var store = Open(result, database, context);
            using var owned = (IDisposable)store;
            var cutoff = context.Time.GetUtcNow() - age;
            var deleted = await ParleyDatabase.DeleteOlderThanAsync(store, cutoff, result.GetValue(bot), cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(result.GetValue(json)
                ? new JsonObject { ["deleted"] = deleted }.ToJsonString()
                : string.Create(CultureInfo.InvariantCulture, $"Deleted {deleted} session{(deleted == 1 ? "" : "s")} last active before {cutoff.ToLocalTime():yyyy-MM-dd HH:mm}.")).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var command = new Command("sessions", "List, show, delete or prune stored conversations.");
        command.Options.Add(database);
        command.Options.Add(json);
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(delete);
        command.Subcommands.Add(prune);
        return command;
    }

    private static IConversationStore Open(ParseResult result, Option<string?> database, CliContext context)
    {
        var settings = SettingsLoader.Load(context, [new("Parley:Database", result.GetValue(database))]);
        return settings.Database().OpenConversations();
    }

    private static async Task<Conversation> Find(IConversationStore store, string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new CliException($"no session '{id}'");
}
