using System.Text.Json;

namespace Parley.Nlu.FineTuning;

/// <summary>One line of a chat-format fine-tuning file: <c>{"messages": [...], "tools": [...]}</c>.</summary>
/// <param name="Messages">The conversation, in order; the assistant messages are what the model learns to say.</param>
/// <param name="Tools">The <c>tools</c> array offered in the conversation, written as given, or null.</param>
/// <param name="Line">The 1-based line of the source the example came from, or 0 when it has none.</param>
public sealed record ChatFineTuningExample(IReadOnlyList<ChatExampleMessage> Messages, JsonElement? Tools = null, int Line = 0);
