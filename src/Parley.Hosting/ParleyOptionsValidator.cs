using Microsoft.Extensions.Options;
using Parley.Core.History;

namespace Parley.Hosting;

/// <summary>Checks <see cref="ParleyOptions"/>; failures name the setting as it is written in configuration.</summary>
public sealed class ParleyOptionsValidator : IValidateOptions<ParleyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ParleyOptions options)
    {
        List<string> failures = [];
        if (options.Retry.MaxAttempts < 1)
        {
            failures.Add($"Parley:Retry:MaxAttempts must be at least 1 (was {options.Retry.MaxAttempts})");
        }

        if (!double.IsFinite(options.Retry.DeadlineSeconds) || options.Retry.DeadlineSeconds <= 0)
        {
            failures.Add($"Parley:Retry:DeadlineSeconds must be a positive number of seconds (was {options.Retry.DeadlineSeconds})");
        }

        if (options.TokenEncoding is { } encoding && !IsKnownEncoding(encoding))
        {
            failures.Add($"Parley:TokenEncoding '{encoding}' is not supported: use '{ChatTokenCounter.O200kBase}' or '{ChatTokenCounter.Cl100kBase}'");
        }

        if (Storage.Postgres.PostgresConnectionString.IsPostgres(options.Database))
        {
            try
            {
                Storage.Postgres.PostgresConnectionString.Normalize(options.Database!);
            }
            catch (ArgumentException e)
            {
                failures.Add($"Parley:Database: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKnownEncoding(string encoding)
    {
        try
        {
            new TokenBudgetOptions { Encoding = encoding }.Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
