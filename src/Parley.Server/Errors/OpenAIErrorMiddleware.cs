using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core.Conversations;
using Parley.Server.Telemetry;

namespace Parley.Server.Errors;

/// <summary>Answers every failure of a request in OpenAI's error shape, with a client status for client errors.</summary>
internal sealed partial class OpenAIErrorMiddleware(RequestDelegate next, ILogger<OpenAIErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405 && context.Response.ContentType is null)
            {
                // Routing answered with a bare status: no endpoint at this path, or none for this method.
                await WriteAsync(context, context.Response.StatusCode == 404
                    ? new ApiException(404, $"Unknown request URL: {context.Request.Method} {context.Request.Path}. See the API's routes in the README.", code: "unknown_url")
                    : new ApiException(405, $"The method {context.Request.Method} is not allowed for {context.Request.Path}.", code: "method_not_allowed")).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: generation stopped with it, and there is no one to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var error = e switch
            {
                ApiException api => api,
                BadHttpRequestException bad => new ApiException(bad.StatusCode, bad.StatusCode == 413 ? "the request body is too large" : "the request is malformed"),
                JsonException => new ApiException(400, "the request body is not valid JSON", code: "invalid_json"),
                _ => null,
            };
            if (error is null)
            {
                // Store and bot-pack failures name files on the server: the log gets them, the client a generic message.
                LogFailure(logger, e, LogText.Escape(context.Request.Method), LogText.Escape(context.Request.Path.Value));
                error = e is ConversationStoreException
                    ? new ApiException(500, "the conversation store failed; see the server's log", code: "store_error")
                    : new ApiException(500, "the server failed to answer; see its log");
            }

            await WriteAsync(context, error).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string? method, string? path);

    /// <summary>Writes <paramref name="error"/> as the response.</summary>
    public static Task WriteAsync(HttpContext context, ApiException error)
    {
        context.RequestServices.GetService<ServerMetrics>()?.RecordError(error.Type, error.Code);
        context.Response.Clear();
        context.Response.StatusCode = error.StatusCode;
        if (error.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsJsonAsync(ErrorBody.From(error), ServerJson.Options, context.RequestAborted);
    }
}
