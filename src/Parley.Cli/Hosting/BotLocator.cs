namespace Parley.Cli.Hosting;

/// <summary>Finds the bot folder to use.</summary>
public static class BotLocator
{
    /// <summary>The default bot, relative to the repository root.</summary>
    public const string DefaultBot = "samples/bots/shop";

    /// <summary>
    /// Returns <paramref name="configured"/> resolved against the working folder or, when none is configured,
    /// the default bot found in the working folder, its parents, or the program's folder and its parents.
    /// </summary>
    /// <exception cref="CliException">No bot was configured and the default bot cannot be found.</exception>
    public static string Resolve(CliContext context, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, context.CurrentDirectory);
        }

        foreach (var start in new[] { context.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultBot);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new CliException($"no bot given and the default bot ({DefaultBot}) was not found from {context.CurrentDirectory}: pass --bot DIR");
    }
}
