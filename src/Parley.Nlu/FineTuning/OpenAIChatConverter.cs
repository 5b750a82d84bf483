using Parley.Nlu.Data;

namespace Parley.Nlu.FineTuning;

/// <summary>Turns intent-labelled utterances into chat-format fine-tuning examples.</summary>
/// <remarks>
/// The target is a classifier: each utterance becomes a user message and the assistant answers with the bare intent
/// label, e.g. <c>{"messages":[{"role":"system","content":"…"},{"role":"user","content":"where is my parcel"},{"role":"assistant","content":"track_order"}]}</c>.
/// A system prompt that lists the labels and asks for one of them makes the tuned model's answers easy to parse.
/// </remarks>
public static class OpenAIChatConverter
{
    /// <summary>One example per item: [system], user = the text, assistant = the intent.</summary>
    /// <param name="items">The labelled utterances (see <see cref="DatasetReader"/>).</param>
    /// <param name="systemPrompt">The system message of every example, or null for none.</param>
    /// <returns>The examples, in order, each with the item's source line.</returns>
    public static IReadOnlyList<ChatFineTuningExample> FromIntents(IEnumerable<DatasetItem> items, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var system = string.IsNullOrWhiteSpace(systemPrompt) ? null : new ChatExampleMessage("system", systemPrompt);
        return
        [
            .. items.Select(item => new ChatFineTuningExample(
                system is null
                    ? [new("user", item.Text), new("assistant", item.Intent)]
                    : [system, new("user", item.Text), new("assistant", item.Intent)],
                Line: item.Line)),
        ];
    }
}
