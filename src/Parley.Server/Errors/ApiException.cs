namespace Parley.Server.Errors;

/// <summary>A client error, answered with OpenAI's error shape and <see cref="StatusCode"/>.</summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="message">What went wrong and what to do, for the client.</param>
    /// <param name="param">The request field at fault, if any.</param>
    /// <param name="code">A machine-readable code, if any.</param>
    /// <param name="type">OpenAI's error type; derived from the status when null.</param>
    public ApiException(int statusCode, string message, string? param = null, string? code = null, string? type = null)
        : base(message)
    {
        StatusCode = statusCode;
        Param = param;
        Code = code;
        Type = type ?? ErrorTypes.For(statusCode);
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>The request field at fault, if any.</summary>
    public string? Param { get; }

    /// <summary>A machine-readable code, if any.</summary>
    public string? Code { get; }

    /// <summary>OpenAI's error type.</summary>
    public string Type { get; }

    /// <summary>How long the client should wait before it retries, sent as <c>Retry-After</c>; null when it need not wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A 400 for an invalid request field.</summary>
    public static ApiException Invalid(string param, string message) => new(400, message, param, "invalid_value");
}
