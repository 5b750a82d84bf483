namespace Parley.Server.Errors;

/// <summary>OpenAI's error types by HTTP status.</summary>
public static class ErrorTypes
{
    /// <summary>The request is invalid (400, 404, 413).</summary>
    public const string InvalidRequest = "invalid_request_error";

    /// <summary>The API key is missing or wrong (401).</summary>
    public const string Authentication = "authentication_error";

    /// <summary>Too many requests (429); OpenAI names the limit that was hit, and here it is always requests.</summary>
    public const string RateLimit = "requests";

    /// <summary>The server failed (5xx).</summary>
    public const string Server = "server_error";

    /// <summary>The type OpenAI uses for <paramref name="statusCode"/>.</summary>
    public static string For(int statusCode) => statusCode switch
    {
        401 => Authentication,
        429 => RateLimit,
        >= 500 => Server,
        _ => InvalidRequest,
    };
}
