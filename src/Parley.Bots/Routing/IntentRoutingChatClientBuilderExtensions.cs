using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Nlu.Intents;
using Parley.Retrieval.Knowledge;

namespace Parley.Bots.Routing;

/// <summary>Adds intent routing (the pack's response templates) to a chat pipeline.</summary>
public static class IntentRoutingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="IntentRoutingChatClient"/>: a message whose intent has a response template is answered with it;
    /// other messages go on, with the recognised intent recorded on the reply.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="classifier">The intent classifier.</param>
    /// <param name="pack">The bot pack with the intents and templates.</param>
    /// <param name="lexicalKnowledge">
    /// The pack's knowledge when it is searched lexically (Chinese packs): a template then gives way to a passage of
    /// another document that scores at least <see cref="IntentRoutingChatClient.LexicalKnowledgeOverride"/>.
    /// </param>
    public static ChatClientBuilder UseIntentRouting(this ChatClientBuilder builder, IIntentClassifier classifier, BotPack pack, IKnowledgeSearch? lexicalKnowledge = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(pack);
        return builder.Use(inner => lexicalKnowledge is null
            ? new IntentRoutingChatClient(inner, classifier, pack)
            : new IntentRoutingChatClient(inner, classifier, pack, lexicalKnowledge, IntentRoutingChatClient.LexicalKnowledgeOverride));
    }
}
