using System.Text.Json;

namespace Parley.Nlu.FineTuning;

/// <summary>One message of a chat-format fine-tuning example, as OpenAI's fine-tuning API expects it.</summary>
/// <param name="Role">The role: <c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c> (see <see cref="OpenAIChatConstants.AllowedRoles"/>).</param>
/// <param name="Content">The text, or null for an assistant message that only calls tools.</param>
/// <param name="Weight">
/// For assistant messages only: 1 to train on the message, 0 to skip it (it stays as context); null leaves it out
/// (OpenAI then trains on every assistant message).
/// </param>
/// <param name="Name">The participant's name, or null.</param>
/// <param name="ToolCalls">The assistant's <c>tool_calls</c> array, written as given, or null.</param>
/// <param name="ToolCallId">For <c>tool</c> messages, the id of the call they answer, or null.</param>
public sealed record ChatExampleMessage(
    string Role,
    string? Content,
    int? Weight = null,
    string? Name = null,
    JsonElement? ToolCalls = null,
    string? ToolCallId = null);
