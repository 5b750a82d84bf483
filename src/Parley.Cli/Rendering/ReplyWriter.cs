using System.Globalization;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;

namespace Parley.Cli.Rendering;

/// <summary>Writes replies for people: text as it streams, then the sources it cites.</summary>
internal sealed class ReplyWriter(CliContext context)
{
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";

    /// <summary>Streams <paramref name="updates"/> to standard output and returns the merged response.</summary>
    public async Task<ChatResponse> WriteStreamAsync(IAsyncEnumerable<ChatResponseUpdate> updates, CancellationToken cancellationToken)
    {
        var received = new List<ChatResponseUpdate>();
        var endsWithNewline = true;
        try
        {
            await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                received.Add(update);
                var text = update.Text;
                if (text.Length > 0)
                {
                    await context.Out.WriteAsync(text).ConfigureAwait(false);
                    await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    endsWithNewline = text.EndsWith('\n');
                }
            }
        }
        finally
        {
            if (!endsWithNewline)
            {
                await context.Out.WriteLineAsync().ConfigureAwait(false);
            }
        }

        return received.ToChatResponse();
    }

    /// <summary>Writes the sources and tool calls of a finished reply, dimmed on a terminal, in the bot's wording.</summary>
    public async Task WriteDetailsAsync(ChatResponse response, BotMessages messages)
    {
        var info = BotReplyInfo.From(response.AdditionalProperties);
        foreach (var call in info.ToolCalls ?? [])
        {
            var arguments = string.Join(", ", call.Arguments.Select(a => $"{a.Key}: {a.Value}"));
            var state = call.Result is null ? "not run" : Parley.Tools.Invocation.GuardedAIFunction.IsError(call.Result) ? "failed" : "done";
            await WriteMetaAsync($"Tool: {call.Name}({arguments}) — {state}").ConfigureAwait(false);
        }

        foreach (var rule in (info.Rules ?? []).Where(r => r.Stage != RuleStages.Disclaimer))
        {
            await WriteMetaAsync(rule.Stage == RuleStages.Input ? $"Rule: {rule.Name} (the message matched it)" : $"Rule: {rule.Name} (content replaced)").ConfigureAwait(false);
        }

        if (info.Handoff is { } handoff)
        {
            var delivered = handoff.Delivered switch { true => "; transcript sent", false => "; the transcript could not be sent", null => "" };
            await WriteMetaAsync($"Handed over to a person ({(handoff.Reason == "request" ? "asked for" : "after fallbacks")}{delivered})").ConfigureAwait(false);
        }

        // A quoted passage names its source in the reply itself.
        if (info.Sources.Count == 0 || info.Route == BotRoutes.Retrieval)
        {
            return;
        }

        var sources = string.Join("; ", info.Sources.Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"[{i + 1}] {s.Title} ({s.Source})")));
        await WriteMetaAsync(string.Format(CultureInfo.InvariantCulture, messages.SourcesLine, sources)).ConfigureAwait(false);
    }

    /// <summary>Writes a line of information about the conversation (not the reply itself).</summary>
    public Task WriteMetaAsync(string line) =>
        context.Out.WriteLineAsync(context.IsTerminal ? $"{Dim}{line}{Reset}" : line);
}
