using Parley.Nlu.Data;

namespace Parley.Nlu.FineTuning;

/// <summary>How <see cref="ChatLogReader"/> reads chat logs.</summary>
public sealed class ChatLogReadOptions
{
    /// <summary>
    /// The format: <see cref="DatasetFormat.Jsonl"/> (one conversation per line), <see cref="DatasetFormat.Csv"/> or
    /// <see cref="DatasetFormat.Tsv"/> (user/agent pairs). Default <see cref="DatasetFormat.Auto"/>: from the extension and content.
    /// </summary>
    public DatasetFormat Format { get; set; } = DatasetFormat.Auto;

    /// <summary>The CSV/TSV column with what the user said. Default <c>user</c>.</summary>
    public string UserColumn { get; set; } = "user";

    /// <summary>The CSV/TSV column with the agent's reply. Default <c>agent</c>.</summary>
    public string AgentColumn { get; set; } = "agent";

    /// <summary>
    /// The CSV/TSV column that groups consecutive rows into one conversation. Default <c>conversation_id</c>; when the
    /// file has no such column, every row is a conversation of its own.
    /// </summary>
    public string ConversationColumn { get; set; } = "conversation_id";

    /// <summary>A system message put first in every conversation that has none, or null for none. Default null.</summary>
    public string? SystemPrompt { get; set; }
}
