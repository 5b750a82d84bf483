using Parley.Server.Telemetry;

namespace Parley.Server.Chat;

/// <summary>What a streamed answer needs for its metrics: the instruments, the clock and when the request started.</summary>
internal sealed record StreamContext(ServerMetrics Metrics, TimeProvider Clock, long Started);
