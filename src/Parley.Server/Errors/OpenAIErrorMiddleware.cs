using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Bots.Packs;
using Parley.Core.Conversations;
using Parley.Server.Telemetry;

namespace Parley.Server.Errors;

/// <summary>Answers every failure of a request in OpenAI's error shape, with a client status for client errors.</summary>
internal sealed class OpenAIErrorMiddleware(RequestDelegate next, ILogger<OpenAIErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
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
                BadHttpRequestException bad => new ApiException(bad.StatusCode, bad.StatusCode == 413 ? "the request body is too large" : bad.Message),
                JsonException json => new ApiException(400, $"the request body is not valid JSON: {json.Message}", code: "invalid_json"),
                ConversationStoreException store => new ApiException(400, store.Message, param: "X-Parley-Session"),
                BotPackException pack => new ApiException(500, pack.Message),
                _ => null,
            };
            if (error is null)
            {
                logger.LogError(e, "Request {Path} failed", context.Request.Path);
                error = new ApiException(500, "the server failed to answer; see its log");
            }

            await WriteAsync(context, error).ConfigureAwait(false);
        }
    }

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
