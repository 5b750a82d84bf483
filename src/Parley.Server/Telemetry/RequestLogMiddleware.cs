using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Parley.Server.Chat;

namespace Parley.Server.Telemetry;

/// <summary>
/// Logs one structured line per request: method, route, status, duration, model and session. Never the body (message
/// content) or the headers (API keys). Values a client chose (the model name) have control characters escaped.
/// </summary>
internal sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger, ParleyServerOptions options)
{
    private const string ModelKey = "parley.model";

    /// <summary>Notes the model a request asked for, for its log line.</summary>
    public static void SetModel(HttpContext context, string model) => context.Items[ModelKey] = model;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = options.TimeProvider.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
                var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
                var durationMs = options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
                var model = LogText.Escape(context.Items[ModelKey] as string);
                var session = LogText.Escape(context.Response.Headers[ChatCompletionEndpoints.SessionHeader].FirstOrDefault());
                if (model is null && session is null)
                {
                    LogRequest(logger, context.Request.Method, route, status, durationMs);
                }
                else
                {
                    LogModelRequest(logger, context.Request.Method, route, status, durationMs, model ?? "none", session ?? "none");
                }
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} answered {Status} in {DurationMs:0.0} ms (model {Model}, session {SessionId})")]
    private static partial void LogModelRequest(ILogger logger, string method, string route, int status, double durationMs, string model, string sessionId);

    /// <summary>A request that named no model and has no session (model lists, health, files): no "(model none, session none)".</summary>
    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Method} {Route} answered {Status} in {DurationMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, double durationMs);
}
