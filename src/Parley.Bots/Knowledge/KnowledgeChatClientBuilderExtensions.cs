using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Knowledge;

/// <summary>Adds a knowledge base to a chat pipeline.</summary>
public static class KnowledgeChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="KnowledgeChatClient"/>: quoting the best passage offline (<see cref="KnowledgeMode.Quote"/>), or
    /// giving the passages to the LLM as numbered sources and citing the ones its reply uses (<see cref="KnowledgeMode.Ground"/>).
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="search">The knowledge search.</param>
    /// <param name="mode">Quote offline, or ground an LLM.</param>
    /// <param name="threshold">The minimum passage score to use a passage.</param>
    /// <param name="messages">The wording of a quote's introduction and source line; null for English.</param>
    public static ChatClientBuilder UseKnowledge(this ChatClientBuilder builder, IKnowledgeSearch search, KnowledgeMode mode, double threshold, BotMessages? messages = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(search);
        return builder.Use(inner => new KnowledgeChatClient(inner, search, mode, threshold, messages: messages));
    }
}
