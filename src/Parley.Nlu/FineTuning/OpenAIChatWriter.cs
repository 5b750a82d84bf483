using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Nlu.FineTuning;

/// <summary>Writes chat-format fine-tuning JSONL: one <c>{"messages": [...]}</c> object per line. Files are written atomically.</summary>
public static class OpenAIChatWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="examples"/> to <paramref name="path"/>.</summary>
    /// <param name="path">The file; its folder is created if needed, and it is replaced only once completely written.</param>
    /// <param name="examples">The examples.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(string path, IEnumerable<ChatFineTuningExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(examples);
        var builder = new StringBuilder();
        foreach (var example in examples)
        {
            builder.Append(ToJson(example)).Append('\n');
        }

        await Core.IO.AtomicFile.WriteAllTextAsync(path, builder.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The example as one line of JSON (no line break).</summary>
    public static string ToJson(ChatFineTuningExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var message in example.Messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role);
                if (message.Name is not null)
                {
                    writer.WriteString("name", message.Name);
                }

                if (message.Content is null)
                {
                    writer.WriteNull("content");
                }
                else
                {
                    writer.WriteString("content", message.Content);
                }

                if (message.ToolCalls is { } calls)
                {
                    writer.WritePropertyName("tool_calls");
                    calls.WriteTo(writer);
                }

                if (message.ToolCallId is not null)
                {
                    writer.WriteString("tool_call_id", message.ToolCallId);
                }

                if (message.Weight is { } weight)
                {
                    writer.WriteNumber("weight", weight);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (example.Tools is { } tools)
            {
                writer.WritePropertyName("tools");
                tools.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
