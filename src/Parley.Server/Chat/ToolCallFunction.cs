namespace Parley.Server.Chat;

/// <summary>The function a <see cref="ToolCall"/> calls.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">The arguments as a JSON object, in a string (as OpenAI sends them).</param>
public sealed record ToolCallFunction(string? Name, string Arguments);
