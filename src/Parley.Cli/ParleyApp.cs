using System.CommandLine;
using Microsoft.Extensions.Options;
using Parley.Bots.Packs;
using Parley.Cli.Commands;
using Parley.Core.Conversations;
using Parley.Core.Resilience;

namespace Parley.Cli;

/// <summary>The <c>parley</c> command: builds the command tree, runs it, and turns failures into exit codes.</summary>
public static class ParleyApp
{
    /// <summary>Runs <c>parley</c> with <paramref name="args"/> in <paramref name="context"/>.</summary>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Parley: chat agents on your own data, offline or on any OpenAI-compatible endpoint.");
        root.Subcommands.Add(ChatCommand.Create(context));
        root.Subcommands.Add(AskCommand.Create(context));
        root.Subcommands.Add(BotCommand.Create(context));
        root.Subcommands.Add(SessionsCommand.Create(context));
        root.Subcommands.Add(DataCommand.Create(context));
        root.Subcommands.Add(NluCommand.Create(context));
        root.Subcommands.Add(KbCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(McpCommand.Create(context));
        root.Subcommands.Add(RunsCommand.Create(context));
        root.Subcommands.Add(FineTuneCommand.Create(context));

        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C is handled by the commands themselves: it stops a reply, not the program.
            ProcessTerminationTimeout = null,
        };
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"parley: {error.Message}").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'parley --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var code = await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
            context.Status.End();
            return code;
        }
        catch (CliException e)
        {
            return await FailAsync(context, e.Message, e.ExitCode).ConfigureAwait(false);
        }
        catch (OptionsValidationException e)
        {
            var what = e.OptionsType == typeof(Server.ParleyServerOptions) ? "server settings" : "settings";
            return await FailAsync(context, $"invalid {what}: {string.Join("; ", e.Failures)}", ExitCodes.Failure).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BotPackException or ConversationStoreException or UpstreamException)
        {
            return await FailAsync(context, e.Message, ExitCodes.Failure).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file or folder the command cannot read or write: its message names the path.
            return await FailAsync(context, e.Message, ExitCodes.Failure).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Status.End();
            return ExitCodes.Interrupted;
        }
    }

    private static async Task<int> FailAsync(CliContext context, string message, int exitCode)
    {
        context.Status.End();
        await context.Error.WriteLineAsync($"parley: {message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
        return exitCode;
    }
}
