using Microsoft.Extensions.Logging;
using Parley.Server.Telemetry;

namespace Parley.Server.Chat;

/// <summary>
/// What an answer needs for its metrics and logs: the instruments, the server's options (clock, stream limits), when
/// the request started, the content log, and the logger for failures.
/// </summary>
internal sealed record StreamContext(ServerMetrics Metrics, ParleyServerOptions Options, long Started, ContentLog Content, ILogger Logger)
{
    /// <summary>The server's clock.</summary>
    public TimeProvider Clock => Options.TimeProvider;
}
