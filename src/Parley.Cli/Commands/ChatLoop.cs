using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Cli.Hosting;
using Parley.Cli.Rendering;
using Parley.Cli.Terminal;
using Parley.Core.Conversations;

namespace Parley.Cli.Commands;

/// <summary>The read–reply loop of <c>parley chat</c> and its slash commands.</summary>
internal sealed class ChatLoop(CliContext context, ChatPartner partner, ChatSession session)
{
    private const string Help = """
        Commands:
          /help            show this help
          /reset           start a new session (the current one stays stored)
          /system [TEXT]   show, or set, this session's system prompt; '/system default' returns to the bot's
          /sessions        list this bot's stored sessions
          /save FILE       save this conversation (.json for JSON, else Markdown)
          /exit            quit (also Ctrl+D, or Ctrl+C twice on an empty line)
        Editing: Left/Right, Home/End, Up/Down for earlier lines, Ctrl+U deletes to the start, Ctrl+K to the end,
        Ctrl+W the word before the cursor. Ctrl+C clears the line, or stops the reply being written.
        """;

    private readonly ReplyWriter _writer = new(context);
    private readonly LineEditor? _editor = context.Keyboard is { } keyboard ? new LineEditor(keyboard, context.Out) : null;
    private CancellationTokenSource? _turn;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var interrupt = context.OnInterrupt?.Invoke(OnInterrupt);
        await _writer.WriteMetaAsync($"Parley · {partner.Title} · session {session.Id} · /help for commands").ConfigureAwait(false);
        await ReplayAsync().ConfigureAwait(false);

        var interrupted = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var input = await ReadAsync("> ", remember: true, cancellationToken).ConfigureAwait(false);
            if (input.Kind == LineInputKind.EndOfInput || (input.Kind == LineInputKind.Interrupted && interrupted))
            {
                break;
            }

            interrupted = input.Kind == LineInputKind.Interrupted;
            if (interrupted)
            {
                await _writer.WriteMetaAsync("(Ctrl+C again, Ctrl+D or /exit to quit)").ConfigureAwait(false);
                continue;
            }

            var line = input.Text.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('/'))
            {
                if (!await CommandAsync(line, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            await ReplyAsync(line, cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Reads a line: with the line editor on a terminal, else a plain line of standard input (the prompt shown when the
    /// input is a terminal, and a question's always, so a transcript shows what was asked); the end of piped input is
    /// <see cref="LineInput.EndOfInput"/>.
    /// </summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="remember">Whether the line is a message that joins the history (false: the answer to a question).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    private async Task<LineInput> ReadAsync(string prompt, bool remember, CancellationToken cancellationToken)
    {
        if (_editor is not null)
        {
            return _editor.ReadLine(prompt, remember);
        }

        if (context.IsInteractiveInput || !remember)
        {
            await context.Out.WriteAsync(prompt).ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var line = await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null && !remember)
        {
            await context.Out.WriteLineAsync().ConfigureAwait(false);
        }

        return line is null ? LineInput.EndOfInput : new LineInput(LineInputKind.Line, line);
    }

    private void OnInterrupt()
    {
        var turn = _turn;
        if (turn is not null)
        {
            turn.Cancel();
        }
        else
        {
            context.Error.WriteLine("(Ctrl+C stops a reply; type /exit or press Ctrl+D to quit)");
        }
    }

    private async Task ReplyAsync(string text, CancellationToken cancellationToken)
    {
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _turn = turn;
        try
        {
            var response = await _writer.WriteStreamAsync(session.SendStreamingAsync(text, partner.CreateOptions().ForSession(session.Id), turn.Token), turn.Token).ConfigureAwait(false);
            await _writer.WriteDetailsAsync(response, partner.Messages).ConfigureAwait(false);
            while (ToolForm.IsAwaitingApproval(response))
            {
                // The user's y/n goes back as the next turn: the bot runs the tool on yes, and changes nothing on no.
                // Ctrl+C or Ctrl+D at the question answers no.
                var answer = await ReadAsync("Approve? [y/n] ", remember: false, turn.Token).ConfigureAwait(false);
                var approved = answer.Text.Trim().ToLowerInvariant() is "y" or "yes";

                response = await _writer.WriteStreamAsync(session.SendStreamingAsync(approved ? "yes" : "no", partner.CreateOptions().ForSession(session.Id), turn.Token), turn.Token).ConfigureAwait(false);
                await _writer.WriteDetailsAsync(response, partner.Messages).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (turn.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await _writer.WriteMetaAsync("(reply stopped; what was shown is kept in the session)").ConfigureAwait(false);
        }
        finally
        {
            _turn = null;
        }
    }

    /// <summary>Runs a slash command; returns false to quit.</summary>
    private async Task<bool> CommandAsync(string line, CancellationToken cancellationToken)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var name = (space < 0 ? line : line[..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : line[(space + 1)..].Trim();
        switch (name)
        {
            case "/exit" or "/quit":
                return false;
            case "/help":
                await context.Out.WriteLineAsync(Help).ConfigureAwait(false);
                break;
            case "/reset":
                session = await partner.OpenSessionAsync(null, session.Conversation.SystemPrompt, cancellationToken).ConfigureAwait(false);
                await _writer.WriteMetaAsync($"New session {session.Id}.").ConfigureAwait(false);
                break;
            case "/system" when argument.Length == 0:
                await context.Out.WriteLineAsync(session.SystemPrompt ?? "(no system prompt)").ConfigureAwait(false);
                break;
            case "/system":
                await session.SetSystemPromptAsync(argument.Equals("default", StringComparison.OrdinalIgnoreCase) ? null : argument, cancellationToken).ConfigureAwait(false);
                await _writer.WriteMetaAsync(session.Conversation.SystemPrompt is null ? "System prompt: the bot's persona." : "System prompt set for this session.").ConfigureAwait(false);
                break;
            case "/sessions":
                await ListSessionsAsync(cancellationToken).ConfigureAwait(false);
                break;
            case "/save" when argument.Length == 0:
                await context.Error.WriteLineAsync("usage: /save FILE").ConfigureAwait(false);
                break;
            case "/save":
                await SaveAsync(Path.GetFullPath(argument, context.CurrentDirectory), cancellationToken).ConfigureAwait(false);
                break;
            default:
                await context.Error.WriteLineAsync($"unknown command {name}; /help lists the commands").ConfigureAwait(false);
                break;
        }

        return true;
    }

    private async Task ReplayAsync()
    {
        var messages = session.Conversation.Messages;
        if (messages.Count == 0)
        {
            return;
        }

        await _writer.WriteMetaAsync($"Resuming: {messages.Count} earlier messages.").ConfigureAwait(false);
        foreach (var stored in messages.TakeLast(6))
        {
            await _writer.WriteMetaAsync($"{stored.Message.Role}: {Shorten(stored.Message.Text, 200)}{(stored.Incomplete ? " [incomplete]" : "")}").ConfigureAwait(false);
        }
    }

    private async Task ListSessionsAsync(CancellationToken cancellationToken)
    {
        var sessions = await partner.Store.ListAsync(partner.Name, 20, cancellationToken).ConfigureAwait(false);
        if (sessions.Count == 0)
        {
            await context.Out.WriteLineAsync("(no sessions)").ConfigureAwait(false);
            return;
        }

        foreach (var s in sessions)
        {
            var current = s.Id == session.Id ? " *" : "";
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{s.Id}{current}  {s.Updated.ToLocalTime():yyyy-MM-dd HH:mm}  {s.MessageCount,3} messages  {Shorten(s.Preview ?? "", 50)}")).ConfigureAwait(false);
        }
    }

    private async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        var content = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Json() : Markdown();
        try
        {
            await Core.IO.AtomicFile.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
            await _writer.WriteMetaAsync($"Saved {session.Conversation.Messages.Count} messages to {path}.").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"cannot save to {path}: {e.Message}").ConfigureAwait(false);
        }
    }

    private string Markdown()
    {
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"# Conversation {session.Id} with {partner.Name}").AppendLine();
        foreach (var stored in session.Conversation.Messages)
        {
            var message = stored.Message;
            text.AppendLine(CultureInfo.InvariantCulture, $"**{message.Role}**{(stored.Incomplete ? " (incomplete)" : "")} · {stored.Timestamp:u}").AppendLine();
            text.AppendLine(message.Text).AppendLine();
            var sources = BotReplyInfo.From(message.AdditionalProperties).Sources;
            if (sources.Count > 0)
            {
                text.AppendLine("Sources: " + string.Join("; ", sources.Select(s => $"{s.Title} ({s.Source})"))).AppendLine();
            }
        }

        return text.ToString();
    }

    private string Json()
    {
        var document = new
        {
            id = session.Id,
            bot = partner.Name,
            created = session.Conversation.Created,
            system_prompt = session.SystemPrompt,
            messages = session.Conversation.Messages.Select(m => new { timestamp = m.Timestamp, incomplete = m.Incomplete, message = m.Message }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = true });
    }

    private static string Shorten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
