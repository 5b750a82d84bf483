using Parley.Server.Telemetry;

namespace Parley.Server.Chat;

/// <summary>What an answer needs for its metrics and logs: the instruments, the clock, when the request started, and the content log.</summary>
internal sealed record StreamContext(ServerMetrics Metrics, TimeProvider Clock, long Started, ContentLog Content);
