using Parley.Bots.Packs;

namespace Parley.Bots.Tools.Mcp;

/// <summary>An MCP server of a pack could not be reached (started, connected to, or listed) within its attempts.</summary>
public sealed class McpUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpUnavailableException(McpServerDeclaration server, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Server = server;
    }

    /// <summary>The server.</summary>
    public McpServerDeclaration Server { get; }
}
