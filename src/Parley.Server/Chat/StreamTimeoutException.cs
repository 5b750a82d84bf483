namespace Parley.Server.Chat;

/// <summary>A streamed reply passed <see cref="ParleyServerOptions.StreamTimeout"/> or <see cref="ParleyServerOptions.StreamIdleTimeout"/> and was cut.</summary>
internal sealed class StreamTimeoutException(string message, Exception? innerException = null) : TimeoutException(message, innerException)
{
    /// <summary>The error code clients get.</summary>
    public const string Code = "stream_timeout";
}
