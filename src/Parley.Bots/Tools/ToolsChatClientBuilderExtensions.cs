using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Nlu.Intents;

namespace Parley.Bots.Tools;

/// <summary>Adds a bot's tools to a chat pipeline: offline by intent, or as functions an LLM calls.</summary>
public static class ToolsChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ToolsChatClient"/>, the offline tool stage: intents that name a tool fill its slots from the
    /// message (asking for missing ones as a form), ask for approval where the tool needs it, and reply with its result.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="classifier">The intent classifier.</param>
    /// <param name="pack">The bot pack with the intents that name tools.</param>
    /// <param name="toolbox">The bot's tools.</param>
    public static ChatClientBuilder UseIntentTools(this ChatClientBuilder builder, IIntentClassifier classifier, BotPack pack, BotToolbox toolbox)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ToolsChatClient(inner, classifier, pack, toolbox));
    }

    /// <summary>
    /// Adds <see cref="LlmToolsChatClient"/> and function invocation: the LLM is offered the bot's tools, calls them, and
    /// calls of tools that need approval wait for the user's yes.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="toolbox">The bot's tools.</param>
    public static ChatClientBuilder UseLlmTools(this ChatClientBuilder builder, BotToolbox toolbox)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(toolbox);
        return builder.Use(inner => new LlmToolsChatClient(inner, toolbox)).UseFunctionInvocation();
    }
}
