using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Telemetry;

/// <summary>The server's logging defaults, applied where configuration does not say otherwise.</summary>
internal static class LoggingDefaults
{
    private const string AspNetCore = "Microsoft.AspNetCore";

    /// <summary>
    /// Raises ASP.NET Core's own categories to Warning unless <c>Logging:LogLevel:Microsoft.AspNetCore</c> is configured:
    /// their Information lines (request starting/finished, endpoint executing/executed) repeat the one line
    /// <see cref="RequestLogMiddleware"/> writes, cost four log writes per request, and make the host start an
    /// activity for every request.
    /// </summary>
    public static WebApplicationBuilder UseServerLoggingDefaults(this WebApplicationBuilder builder)
    {
        if (builder.Configuration[$"Logging:LogLevel:{AspNetCore}"] is null)
        {
            builder.Logging.AddFilter(AspNetCore, LogLevel.Warning);
        }

        return builder;
    }
}
