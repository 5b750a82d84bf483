using Microsoft.Extensions.Logging;
using Parley.Server.Telemetry;

namespace Parley.Server.Chat;

/// <summary>
/// What an answer needs for its metrics and logs: the instruments, the server's options (clock, stream limits), when
/// the request started, the content log, and the logger for failures.
/// </summary>
internal sealed record StreamContext(ServerMetrics Metrics, ParleyServerOptions Options, long Started, ContentLog Content, ILogger Logger)
{
    /// <summary>
    /// The client's request goes to the model as the client wrote it (an upstream or fine-tuned model, not a bot), so a
    /// refusal of it is reported to the client as a 400 with the model's reason (<see cref="Errors.UpstreamErrors"/>).
    /// </summary>
    public bool PassThrough { get; init; }

    /// <summary>The server's clock.</summary>
    public TimeProvider Clock => Options.TimeProvider;
}
