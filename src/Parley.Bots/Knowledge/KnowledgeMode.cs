namespace Parley.Bots.Knowledge;

/// <summary>How <see cref="KnowledgeChatClient"/> uses the passages it finds.</summary>
public enum KnowledgeMode
{
    /// <summary>Offline: answer by quoting the best passage with its source; no generation.</summary>
    Quote,

    /// <summary>With an LLM: give the relevant passages to the model as numbered sources to answer from and cite.</summary>
    Ground,
}
