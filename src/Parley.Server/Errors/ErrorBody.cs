namespace Parley.Server.Errors;

/// <summary>OpenAI's error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
/// <param name="Error">The error.</param>
public sealed record ErrorBody(ErrorDetail Error)
{
    /// <summary>The body for <paramref name="exception"/>.</summary>
    public static ErrorBody From(ApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ErrorBody(new ErrorDetail(exception.Message, exception.Type, exception.Param, exception.Code));
    }
}
