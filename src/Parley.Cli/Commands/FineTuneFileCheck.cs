using System.Text;
using Parley.Nlu.Data;
using Parley.Nlu.FineTuning;

namespace Parley.Cli.Commands;

/// <summary>
/// Checks a fine-tuning file before it is uploaded, with the same readers the Parley server trains from: chat-format
/// files with <see cref="OpenAIChatValidator"/> (OpenAI's checks; every error listed by file:line), intent-format JSONL
/// (<c>{"text","intent"|"label"}</c> lines) with <see cref="FineTuningDataReader"/>. Nothing is uploaded on an error.
/// </summary>
internal static class FineTuneFileCheck
{
    /// <summary>Checks <paramref name="path"/>; prints warnings to standard error and throws on errors.</summary>
    /// <param name="context">Where warnings and errors go.</param>
    /// <param name="path">The file.</param>
    /// <param name="option">The option that named it, for messages.</param>
    /// <param name="model">The base model (picks the tokenizer of the chat checks).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <exception cref="CliException">The file is missing or has errors.</exception>
    public static async Task CheckAsync(CliContext context, string path, string option, string model, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{option}: {path} not found: check the path");
        }

        var content = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        if (IsIntentData(path, content))
        {
            try
            {
                FineTuningDataReader.Read(path, content);
                return;
            }
            catch (DatasetException e)
            {
                throw new CliException($"{e.Message}; nothing was uploaded: fix the file and run again", e);
            }
        }

        var report = OpenAIChatValidator.Validate(path, content, new OpenAIChatValidationOptions { Model = model });
        if (report.Errors.Count > 0)
        {
            await DatasetArguments.ListAsync(context.Error, null, report.Errors).ConfigureAwait(false);
            var errors = report.Errors.Count == 1 ? "1 error" : $"{report.Errors.Count} errors";
            var first = report.Errors[0];
            throw new CliException($"{path} has {errors} (first: {(first.Line > 0 ? $"line {first.Line}: " : "")}{first.Message}); nothing was uploaded: fix the file (see 'parley data validate --data {path}') and run again");
        }

        await DatasetArguments.ListAsync(context.Error, null, report.Warnings, "warning: ").ConfigureAwait(false);
    }

    /// <summary>Whether the server would read <paramref name="content"/> as intent data; anything else gets the chat checks, which name what is wrong.</summary>
    private static bool IsIntentData(string path, string content)
    {
        try
        {
            return FineTuningDataReader.DetectKind(path, content) == FineTuningDataKind.Intents;
        }
        catch (DatasetException)
        {
            return false;
        }
    }
}
