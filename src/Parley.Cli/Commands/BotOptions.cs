using System.CommandLine;
using Parley.Cli.Hosting;

namespace Parley.Cli.Commands;

/// <summary>The options shared by the commands that talk to a bot, and how they override settings.</summary>
internal sealed class BotOptions
{
    public Option<string?> Bot { get; } = new("--bot") { Description = "The bot folder (default: samples/bots/shop); for chat, none talks to the --model on the endpoint directly." };

    public Option<string?> Session { get; } = new("--session") { Description = "Resume this session (or start one with this id)." };

    public Option<string?> Model { get; } = new("--model") { Description = "The LLM model id (default: PARLEY_MODEL, else the bot's)." };

    public Option<string?> BaseUrl { get; } = new("--base-url") { Description = "An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (default: OPENAI_BASE_URL; offline when unset)." };

    public Option<string?> Database { get; } = new("--db") { Description = "The database: a SQLite file, or PostgreSQL as \"Host=…;Database=…\" or postgres://… (default: parley.db in the user's data folder)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Bot);
        command.Options.Add(Session);
        command.Options.Add(Model);
        command.Options.Add(BaseUrl);
        command.Options.Add(Database);
    }

    /// <summary>Loads the settings with the flags layered over them.</summary>
    public ParleySettings Settings(ParseResult result, CliContext context)
    {
        var settings = SettingsLoader.Load(context,
        [
            new("Parley:Bot", result.GetValue(Bot)),
            new("Parley:Database", result.GetValue(Database)),
            new("OpenAI:Model", result.GetValue(Model)),
            new("OpenAI:BaseUrl", result.GetValue(BaseUrl)),
        ]);
        if (result.GetValue(Model) is { } model && !settings.OpenAI.IsConfigured)
        {
            context.Error.WriteLine($"warning: --model {model} has no effect without an LLM endpoint (set OPENAI_BASE_URL or OPENAI_API_KEY, or pass --base-url): the bot answers offline");
        }

        return settings;
    }
}
