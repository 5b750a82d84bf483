using Microsoft.Extensions.AI;

namespace Parley.Tools.Invocation;

/// <summary>
/// A function whose arguments are checked against its JSON schema before it runs, and whose failures come back as its
/// result ("Error: …") rather than as exceptions, so a bad call or a failing tool never ends the turn. Cancellation
/// still propagates.
/// </summary>
public sealed class GuardedAIFunction : DelegatingAIFunction
{
    /// <summary>The start of every failure result.</summary>
    public const string ErrorPrefix = "Error: ";

    /// <summary>Wraps <paramref name="innerFunction"/>.</summary>
    public GuardedAIFunction(AIFunction innerFunction)
        : base(innerFunction)
    {
    }

    /// <summary>Whether a result is a failure reported by this wrapper.</summary>
    public static bool IsError(object? result) => ResultText(result)?.StartsWith(ErrorPrefix, StringComparison.Ordinal) == true;

    /// <summary>A tool result as text: a string, or a JSON string value (functions made by <see cref="AIFunctionFactory"/> return JSON).</summary>
    public static string? ResultText(object? result) => result switch
    {
        null => null,
        string text => text,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } json => json.GetString(),
        System.Text.Json.JsonElement json => json.GetRawText(),
        _ => Convert.ToString(result, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (ToolArgumentValidator.Validate(InnerFunction.JsonSchema, arguments) is { } problem)
        {
            return $"{ErrorPrefix}invalid arguments for {Name}: {problem}";
        }

        try
        {
            return await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ToolException e)
        {
            return ErrorPrefix + e.Message;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IOException
            or System.Text.Json.JsonException or Core.Conversations.ConversationStoreException or OperationCanceledException)
        {
            return $"{ErrorPrefix}{Name} failed: {e.Message}";
        }
    }
}
