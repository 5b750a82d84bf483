using Microsoft.Extensions.AI;

namespace Parley.Bots.Tools.Mcp;

/// <summary>A tool of an MCP server, as a bot offers it.</summary>
/// <param name="Function">The call: arguments checked, bounded in time, failures returned as the result.</param>
/// <param name="RequiresApproval">Whether the user must approve each call (the pack's <c>approval</c>, else unless the tool only reads).</param>
public sealed record McpTool(AIFunction Function, bool RequiresApproval);
