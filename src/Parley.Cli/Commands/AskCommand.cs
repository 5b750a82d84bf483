using System.CommandLine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Parley.Bots.Explanations;
using Parley.Bots.Tools;
using Parley.Cli.Hosting;
using Parley.Cli.Rendering;

namespace Parley.Cli.Commands;

/// <summary><c>parley ask [TEXT]</c>: one question, one answer.</summary>
internal static class AskCommand
{
    /// <summary>The setting that stores every question as a session even without <c>--session</c>.</summary>
    public const string StoreSessionsKey = "Parley:Ask:StoreSessions";

    public static Command Create(CliContext context)
    {
        var options = new BotOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: reply, route, intent, sources, tool_calls, rules, events, session, usage." };
        var explain = new Option<bool>("--explain") { Description = "Also show why: the route, the closest intents and their thresholds, the nearest examples, the passages found and cited, the rules that acted, the tool calls (with --json: an 'explanation' field)." };
        var approve = new Option<bool>("--approve") { Description = "Approve tool calls that need approval (calendar changes) up front; without it the reply asks, and nothing changes." };
        var text = new Argument<string[]>("text") { Description = "The message; none or '-' reads standard input.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("ask", $"Ask the bot one question and print the answer. Nothing is stored unless --session is given (or {StoreSessionsKey} is true).");
        options.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(approve);
        command.Options.Add(explain);
        command.Arguments.Add(text);
        command.SetAction(async (result, cancellationToken) =>
        {
            var words = result.GetValue(text) ?? [];
            RejectOptionLikeWords(result, words);
            var message = words.Length == 0 || words is ["-"]
                ? await context.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : string.Join(' ', words);
            if (string.IsNullOrWhiteSpace(message))
            {
                throw new CliException("nothing to ask: give the message as an argument or on standard input", exitCode: ExitCodes.Usage);
            }

            var settings = options.Settings(result, context);
            await using var runtime = await BotRuntime.StartAsync(context, settings, cancellationToken).ConfigureAwait(false);
            var sessionId = result.GetValue(options.Session);
            var session = sessionId is not null || settings.Configuration.GetValue<bool>(StoreSessionsKey)
                ? await runtime.OpenSessionAsync(sessionId, null, cancellationToken).ConfigureAwait(false)
                : null;
            // Without a session, calendar tools use one shared calendar, "default".
            var chatOptions = new ChatOptions().ForSession(session?.Id ?? "default", result.GetValue(approve));
            if (result.GetValue(json))
            {
                var response = session is not null
                    ? await session.SendAsync(message.Trim(), chatOptions, cancellationToken).ConfigureAwait(false)
                    : await runtime.Bot.ChatClient.GetResponseAsync(Prompt(runtime, message), chatOptions, cancellationToken).ConfigureAwait(false);
                var output = AskResult.From(response, session?.Id);
                if (result.GetValue(explain))
                {
                    output["explanation"] = ExplanationWriter.Json(await BotExplainer.ExplainAsync(runtime.Bot, message.Trim(), response, cancellationToken).ConfigureAwait(false));
                }

                await context.Out.WriteLineAsync(AskResult.Serialize(output)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var writer = new ReplyWriter(context);
            var updates = session is not null
                ? session.SendStreamingAsync(message.Trim(), chatOptions, cancellationToken)
                : runtime.Bot.ChatClient.GetStreamingResponseAsync(Prompt(runtime, message), chatOptions, cancellationToken);
            var reply = await writer.WriteStreamAsync(updates, cancellationToken).ConfigureAwait(false);
            await writer.WriteDetailsAsync(reply, runtime.Bot.Messages).ConfigureAwait(false);
            if (result.GetValue(explain))
            {
                foreach (var line in ExplanationWriter.Lines(await BotExplainer.ExplainAsync(runtime.Bot, message.Trim(), reply, cancellationToken).ConfigureAwait(false)))
                {
                    await writer.WriteMetaAsync(line).ConfigureAwait(false);
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The one-turn prompt of an unstored question: the bot's persona, then the question.</summary>
    private static ChatMessage[] Prompt(BotRuntime runtime, string message) => string.IsNullOrWhiteSpace(runtime.Bot.SystemPrompt)
        ? [new(ChatRole.User, message.Trim())]
        : [new(ChatRole.System, runtime.Bot.SystemPrompt), new(ChatRole.User, message.Trim())];

    /// <summary>
    /// The message argument takes any number of words, so a mistyped option would be sent as text: refuse it,
    /// unless the words follow <c>--</c>.
    /// </summary>
    private static void RejectOptionLikeWords(ParseResult result, string[] words)
    {
        if (result.Tokens.Any(t => t.Type == System.CommandLine.Parsing.TokenType.DoubleDash))
        {
            return;
        }

        if (words.FirstOrDefault(w => w.Length > 1 && w[0] == '-' && char.IsLetter(w.TrimStart('-').FirstOrDefault())) is { } option)
        {
            throw new CliException($"unknown option '{option}' for ask (to send text that starts with '-', put it after --)", exitCode: ExitCodes.Usage);
        }
    }
}
