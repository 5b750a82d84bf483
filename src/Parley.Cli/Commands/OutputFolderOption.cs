using System.CommandLine;

namespace Parley.Cli.Commands;

/// <summary>
/// Options that name a folder the command writes (a model, an index, a report): a path that is an existing file is
/// refused when the command line is parsed, before any data is read or any model trained.
/// </summary>
internal static class OutputFolderOption
{
    /// <summary>Adds the check to <paramref name="option"/>; relative paths are resolved against the command's folder.</summary>
    /// <returns>The option, for chaining.</returns>
    public static Option<T> RefusingFiles<T>(this Option<T> option, CliContext context)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is string { Length: > 0 } value
                && Path.GetFullPath(value, context.CurrentDirectory) is var path
                && File.Exists(path))
            {
                result.AddError($"{option.Name} '{path}' is a file, and a folder is written there: give a folder path (it is created when missing), or move the file");
            }
        });
        return option;
    }
}
